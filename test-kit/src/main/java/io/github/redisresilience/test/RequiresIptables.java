package io.github.redisresilience.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips a test (with the reason in the report, never a silent pass) when the kit cannot cut
 * addresses off with iptables (not root, no {@code iptables} binary): needed by
 * {@link LocalRedisCluster#partition(RedisPod)} and {@link LocalRedisCluster#loseNode(java.util.List)}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresIptablesCondition.class)
public @interface RequiresIptables {

}
