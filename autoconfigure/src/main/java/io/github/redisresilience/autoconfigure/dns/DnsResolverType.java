package io.github.redisresilience.autoconfigure.dns;

/**
 * Which DNS resolver Lettuce uses to turn host names into addresses.
 */
public enum DnsResolverType {

	/**
	 * Netty's asynchronous DNS resolver, honouring record TTLs capped by max-ttl.
	 */
	NETTY,

	/**
	 * The JVM's InetAddress lookups, honouring hosts files and the JVM DNS cache
	 * settings.
	 */
	JDK

}
