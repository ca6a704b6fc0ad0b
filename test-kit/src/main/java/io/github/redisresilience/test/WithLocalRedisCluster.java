package io.github.redisresilience.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a {@link LocalRedisCluster}. The cluster is injected into test and
 * lifecycle method parameters of type {@code LocalRedisCluster} and into static fields of that
 * type (set before {@code @BeforeAll}, so a Spring {@code @DynamicPropertySource} can read
 * {@link LocalRedisCluster#seedNodes()}).
 * <pre>{@code
 * @WithLocalRedisCluster
 * class MyCacheIT {
 *     static LocalRedisCluster cluster;
 *
 *     @DynamicPropertySource
 *     static void redis(DynamicPropertyRegistry registry) {
 *         registry.add("spring.data.redis.cluster.nodes", cluster::seedNodes);
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalRedisClusterExtension.class)
public @interface WithLocalRedisCluster {

	/**
	 * Number of masters.
	 * @return at least 3
	 */
	int masters() default 3;

	/**
	 * Number of replicas per master.
	 * @return 0 or more
	 */
	int replicasPerMaster() default 1;

	/**
	 * Whether test classes asking for the same shape share one cluster for the whole run (faster),
	 * or this class gets a fresh one, stopped after it.
	 * @return {@code true} to share
	 */
	boolean shared() default true;

	/**
	 * Pods announce their stable host names with this preferred endpoint type (needs Redis 7: the
	 * class is skipped on older servers); empty for pods that announce IPs only.
	 * @return the preferred endpoint type, if any
	 */
	LocalRedisCluster.PreferredEndpoint[] announceHostnames() default {};

	/**
	 * Pods speak TLS only, with a certificate made for the cluster ({@link LocalRedisCluster.Builder#tls()});
	 * the class is skipped, with the reason, where redis-server has no TLS or openssl is missing.
	 * @return {@code true} for a TLS cluster
	 */
	boolean tls() default false;

	/**
	 * The TTL, in seconds, of the records of the cluster's {@link LocalRedisCluster#dnsServer() DNS
	 * server} ({@link LocalRedisCluster.Builder#dnsTtl(java.time.Duration)}).
	 * @return whole seconds, 5 by default
	 */
	int dnsTtlSeconds() default 5;

}
