package io.github.redisresilience.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips a test (with the reason in the report, never a silent pass) when the kit's
 * {@code redis-server} is older than the version it needs, e.g. for announced host names, or
 * cannot run a TLS cluster when the test needs one.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresRedisCondition.class)
public @interface RequiresRedis {

	/**
	 * The major version the test needs.
	 * @return e.g. 7
	 */
	int value();

	/**
	 * Whether the test needs a TLS cluster ({@link LocalRedisCluster.Builder#tls()}): a
	 * {@code redis-server} built with TLS, and {@code openssl}.
	 * @return {@code true} to skip where TLS cannot run
	 */
	boolean tls() default false;

}
