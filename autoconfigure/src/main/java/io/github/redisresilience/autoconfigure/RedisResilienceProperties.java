package io.github.redisresilience.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.redisresilience.autoconfigure.dns.DnsResolverType;
import io.github.redisresilience.autoconfigure.dns.DnsSettings;
import io.github.redisresilience.autoconfigure.remap.FoldPolicy;
import io.github.redisresilience.autoconfigure.remap.RemapSettings;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Configuration properties that make a Lettuce Redis Cluster client survive nodes moving
 * to new addresses. Spring Boot's own {@code spring.data.redis.*} properties keep their
 * meaning and win where both configure the same thing.
 * <p>
 * The values are checked once bound; an invalid value fails the startup with an
 * {@link InvalidResilienceSettingException} that names the property and the fix.
 * <p>
 * One class with nested groups, as Spring Boot writes its own properties: every field's
 * Javadoc becomes the property's description in the IDE, which is why the class is long.
 * The packages that use a group receive its values (such as
 * {@link io.github.redisresilience.autoconfigure.remap.RemapSettings}), never this class,
 * where they sit below it.
 *
 * @see RedisResilienceAutoConfiguration
 */
@ConfigurationProperties("redis.resilience")
public class RedisResilienceProperties implements InitializingBean {

	/**
	 * Whether to apply the resilience settings to the Lettuce client that Spring Boot
	 * configures.
	 */
	private boolean enabled = true;

	/**
	 * Whether to fail the startup when spring.data.redis.cluster.nodes is not set; false lets
	 * the application run against a standalone or Sentinel Redis, where the cluster settings
	 * do not apply.
	 */
	private boolean requireCluster = true;

	private final Remap remap = new Remap();

	private final Dns dns = new Dns();

	private final Topology topology = new Topology();

	private final Timeouts timeouts = new Timeouts();

	private final Socket socket = new Socket();

	private final Reconnect reconnect = new Reconnect();

	private final Logging logging = new Logging();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isRequireCluster() {
		return this.requireCluster;
	}

	public void setRequireCluster(boolean requireCluster) {
		this.requireCluster = requireCluster;
	}

	public Remap getRemap() {
		return this.remap;
	}

	public Dns getDns() {
		return this.dns;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public Timeouts getTimeouts() {
		return this.timeouts;
	}

	public Socket getSocket() {
		return this.socket;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Logging getLogging() {
		return this.logging;
	}

	/**
	 * Checks the bound values, so that a nonsensical setting fails at startup rather than
	 * at the first reconnect.
	 * @throws InvalidResilienceSettingException if a value is out of range
	 */
	@Override
	public void afterPropertiesSet() {
		new SettingsValidator(this).validate();
	}

	/**
	 * Events that make Lettuce re-read the cluster topology before the next periodic
	 * refresh; one to one with Lettuce's {@code RefreshTrigger}.
	 */
	public enum AdaptiveTrigger {

		/**
		 * A MOVED redirection: a slot has a new owner.
		 */
		MOVED_REDIRECT,

		/**
		 * An ASK redirection: a slot is being migrated.
		 */
		ASK_REDIRECT,

		/**
		 * Reconnect attempts to a node keep failing.
		 */
		PERSISTENT_RECONNECTS,

		/**
		 * A command is for a slot that no known node serves.
		 */
		UNCOVERED_SLOT,

		/**
		 * A redirection points at a node the client does not know.
		 */
		UNKNOWN_NODE

	}

	/**
	 * How the wait between reconnect attempts grows.
	 */
	public enum ReconnectDelay {

		/**
		 * Exponential growth without randomness.
		 */
		EXPONENTIAL,

		/**
		 * Half the exponential delay plus a random part of the other half.
		 */
		EQUAL_JITTER,

		/**
		 * A random delay between min and the exponential delay.
		 */
		FULL_JITTER,

		/**
		 * A random delay that grows from the previous delay rather than the attempt count.
		 */
		DECORRELATED_JITTER

	}

	/**
	 * Mapping from the addresses nodes announce to the addresses the client dials.
	 */
	public static class Remap {

		/**
		 * Rules that map announced node addresses to reachable ones; the first matching rule
		 * wins.
		 */
		private List<Rule> rules = new ArrayList<>();

		/**
		 * Host and port of a cluster-aware proxy; every node not matched by a rule maps to
		 * it, and several nodes may share one address.
		 */
		private @Nullable String proxyEndpoint;

		/**
		 * What to do when rules would send several cluster nodes to one address without a
		 * proxy endpoint.
		 */
		private FoldPolicy onFold = FoldPolicy.FAIL;

		public List<Rule> getRules() {
			return this.rules;
		}

		public void setRules(List<Rule> rules) {
			this.rules = rules;
		}

		public @Nullable String getProxyEndpoint() {
			return this.proxyEndpoint;
		}

		public void setProxyEndpoint(@Nullable String proxyEndpoint) {
			this.proxyEndpoint = proxyEndpoint;
		}

		public FoldPolicy getOnFold() {
			return this.onFold;
		}

		public void setOnFold(FoldPolicy onFold) {
			this.onFold = onFold;
		}

		/** These properties as the values the remapper is built from. */
		RemapSettings settings() {
			List<RemapSettings.Rule> values = new ArrayList<>();
			for (Rule rule : (this.rules != null) ? this.rules : List.<Rule>of()) {
				values.add(new RemapSettings.Rule(rule.getFrom(), rule.getTo()));
			}
			return new RemapSettings(values, this.proxyEndpoint, this.onFold);
		}

		/**
		 * One remap rule.
		 */
		public static class Rule {

			/**
			 * Announced address to match: a host or IP, host:port, a CIDR range such as
			 * 10.0.0.0/24, or regex: followed by a Java regular expression matched against
			 * host:port.
			 */
			private @Nullable String from;

			/**
			 * Address to dial instead, as host or host:port, with the placeholders {host},
			 * {port} and {1} to {9} for regex groups; without a port the announced port is
			 * kept.
			 */
			private @Nullable String to;

			public @Nullable String getFrom() {
				return this.from;
			}

			public void setFrom(@Nullable String from) {
				this.from = from;
			}

			public @Nullable String getTo() {
				return this.to;
			}

			public void setTo(@Nullable String to) {
				this.to = to;
			}

		}

	}

	/**
	 * How host names are resolved.
	 */
	public static class Dns {

		/**
		 * DNS resolver used to resolve node and seed host names.
		 */
		private DnsResolverType resolver = DnsResolverType.NETTY;

		/**
		 * Longest time the Netty resolver caches a DNS answer, in whole seconds, whatever the
		 * record's TTL says.
		 */
		private Duration maxTtl = Duration.ofSeconds(5);

		/**
		 * How long the Netty resolver caches a failed lookup, in whole seconds.
		 */
		private Duration negativeTtl = Duration.ofSeconds(1);

		/**
		 * Name servers the Netty resolver asks, in order, as ip:port (port 53 when left out),
		 * such as the cluster DNS of Kubernetes; empty to ask those of the operating system
		 * (/etc/resolv.conf). Not for the jdk resolver, which always asks the operating
		 * system's.
		 */
		private List<String> servers = new ArrayList<>();

		public DnsResolverType getResolver() {
			return this.resolver;
		}

		public void setResolver(DnsResolverType resolver) {
			this.resolver = resolver;
		}

		public Duration getMaxTtl() {
			return this.maxTtl;
		}

		public void setMaxTtl(Duration maxTtl) {
			this.maxTtl = maxTtl;
		}

		public Duration getNegativeTtl() {
			return this.negativeTtl;
		}

		public void setNegativeTtl(Duration negativeTtl) {
			this.negativeTtl = negativeTtl;
		}

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		/** These properties as the values the resolution is built from. */
		DnsSettings settings() {
			return new DnsSettings(this.resolver, this.maxTtl, this.negativeTtl, this.servers);
		}

	}

	/**
	 * How the client learns and filters the cluster topology.
	 */
	public static class Topology {

		private final Refresh refresh = new Refresh();

		/**
		 * Whether to leave out nodes the cluster agrees have failed (flag fail) or that have no
		 * address (noaddr) from the topology the client routes to.
		 */
		private boolean excludeFailedNodes = true;

		/**
		 * Whether Lettuce allows connections only to nodes already in its topology view;
		 * false allows connecting to a node at its new address right after a move.
		 */
		private boolean validateMembership = false;

		/**
		 * Maximum number of MOVED or ASK redirections followed for one command.
		 */
		private int maxRedirects = 5;

		public Refresh getRefresh() {
			return this.refresh;
		}

		public boolean isExcludeFailedNodes() {
			return this.excludeFailedNodes;
		}

		public void setExcludeFailedNodes(boolean excludeFailedNodes) {
			this.excludeFailedNodes = excludeFailedNodes;
		}

		public boolean isValidateMembership() {
			return this.validateMembership;
		}

		public void setValidateMembership(boolean validateMembership) {
			this.validateMembership = validateMembership;
		}

		public int getMaxRedirects() {
			return this.maxRedirects;
		}

		public void setMaxRedirects(int maxRedirects) {
			this.maxRedirects = maxRedirects;
		}

		/**
		 * When the client re-reads the cluster topology.
		 */
		public static class Refresh {

			/**
			 * Period of the regular topology read.
			 */
			private Duration period = Duration.ofSeconds(10);

			/**
			 * Whether the starter reads the topology over a connection it already holds and
			 * applies only what changed, instead of Lettuce's refresh that opens a new
			 * connection to every node; Lettuce's refresh stays for startup and as the fallback
			 * through the seeds when no held connection answers.
			 */
			private boolean heldConnectionReads = true;

			/**
			 * Events on which Lettuce refreshes the topology before the next periodic read;
			 * persistent-reconnects and uncovered-slot are followed by the starter's own reads
			 * while held-connection-reads is on.
			 */
			private Set<AdaptiveTrigger> adaptiveTriggers = EnumSet.of(AdaptiveTrigger.MOVED_REDIRECT,
					AdaptiveTrigger.ASK_REDIRECT, AdaptiveTrigger.UNKNOWN_NODE);

			/**
			 * Shortest time between two refreshes caused by adaptive triggers.
			 */
			private Duration adaptiveRateLimit = Duration.ofSeconds(1);

			/**
			 * Number of failed reconnect attempts to a node after which the persistent
			 * reconnects trigger fires.
			 */
			private int reconnectAttempts = 2;

			/**
			 * Whether Lettuce's full refresh (at startup, on an adaptive trigger, from the
			 * refresh endpoint) reads the topology from every node it knows rather than from the
			 * seeds only. Unset: from the seeds only when held-connection reads are on and every
			 * seed is a host name (a Service, which follows the pods), as a full refresh then
			 * opens one connection per seed instead of one per node; from every node otherwise.
			 */
			private @Nullable Boolean dynamicSources;

			/**
			 * Whether to close connections to nodes that a refresh no longer lists.
			 */
			private boolean closeStaleConnections = true;

			/**
			 * How often the starter re-reads the topology while some node is unreachable or
			 * some slots are uncovered.
			 */
			private Duration degradedPeriod = Duration.ofMillis(500);

			/**
			 * How often the starter reads the view of a suspect master's replicas while it is
			 * suspect, so that its slots move to the promoted replica soon after the promotion.
			 */
			private Duration suspectPeriod = Duration.ofMillis(100);

			public Duration getPeriod() {
				return this.period;
			}

			public void setPeriod(Duration period) {
				this.period = period;
			}

			public Set<AdaptiveTrigger> getAdaptiveTriggers() {
				return this.adaptiveTriggers;
			}

			public void setAdaptiveTriggers(Set<AdaptiveTrigger> adaptiveTriggers) {
				this.adaptiveTriggers = adaptiveTriggers;
			}

			public Duration getAdaptiveRateLimit() {
				return this.adaptiveRateLimit;
			}

			public void setAdaptiveRateLimit(Duration adaptiveRateLimit) {
				this.adaptiveRateLimit = adaptiveRateLimit;
			}

			public int getReconnectAttempts() {
				return this.reconnectAttempts;
			}

			public void setReconnectAttempts(int reconnectAttempts) {
				this.reconnectAttempts = reconnectAttempts;
			}

			public @Nullable Boolean getDynamicSources() {
				return this.dynamicSources;
			}

			public void setDynamicSources(@Nullable Boolean dynamicSources) {
				this.dynamicSources = dynamicSources;
			}

			public boolean isCloseStaleConnections() {
				return this.closeStaleConnections;
			}

			public void setCloseStaleConnections(boolean closeStaleConnections) {
				this.closeStaleConnections = closeStaleConnections;
			}

			public boolean isHeldConnectionReads() {
				return this.heldConnectionReads;
			}

			public void setHeldConnectionReads(boolean heldConnectionReads) {
				this.heldConnectionReads = heldConnectionReads;
			}

			public Duration getSuspectPeriod() {
				return this.suspectPeriod;
			}

			public void setSuspectPeriod(Duration suspectPeriod) {
				this.suspectPeriod = suspectPeriod;
			}

			public Duration getDegradedPeriod() {
				return this.degradedPeriod;
			}

			public void setDegradedPeriod(Duration degradedPeriod) {
				this.degradedPeriod = degradedPeriod;
			}

		}

	}

	/**
	 * Bounds on how long the client waits.
	 */
	public static class Timeouts {

		/**
		 * Command timeout, used only when spring.data.redis.timeout is not set.
		 */
		private Duration command = Duration.ofSeconds(2);

		/**
		 * Connect timeout, used only when spring.data.redis.connect-timeout is not set.
		 */
		private Duration connect = Duration.ofSeconds(1);

		/**
		 * How long commands sent on a connection may go without any answer before the connection
		 * is closed, so that a frozen node cannot acknowledge them after its failover; unset means
		 * the command timeout, 0 disables it.
		 */
		private @Nullable Duration unanswered;

		public Duration getCommand() {
			return this.command;
		}

		public void setCommand(Duration command) {
			this.command = command;
		}

		public Duration getConnect() {
			return this.connect;
		}

		public void setConnect(Duration connect) {
			this.connect = connect;
		}

		public @Nullable Duration getUnanswered() {
			return this.unanswered;
		}

		public void setUnanswered(@Nullable Duration unanswered) {
			this.unanswered = unanswered;
		}

	}

	/**
	 * TCP options that make a dead peer noticed in seconds.
	 */
	public static class Socket {

		private final Keepalive keepalive = new Keepalive();

		/**
		 * Longest time sent data may stay unacknowledged before the connection is dropped
		 * (TCP_USER_TIMEOUT, needs the epoll or io_uring transport); 0 disables it.
		 */
		private @Nullable Duration tcpUserTimeout = Duration.ofSeconds(5);

		public Keepalive getKeepalive() {
			return this.keepalive;
		}

		public @Nullable Duration getTcpUserTimeout() {
			return this.tcpUserTimeout;
		}

		public void setTcpUserTimeout(@Nullable Duration tcpUserTimeout) {
			this.tcpUserTimeout = tcpUserTimeout;
		}

		/**
		 * TCP keepalive probes on idle connections.
		 */
		public static class Keepalive {

			/**
			 * Whether to send TCP keepalive probes on idle connections.
			 */
			private boolean enabled = true;

			/**
			 * Idle time before the first keepalive probe, in whole seconds.
			 */
			private Duration idle = Duration.ofSeconds(5);

			/**
			 * Time between keepalive probes, in whole seconds.
			 */
			private Duration interval = Duration.ofSeconds(1);

			/**
			 * Number of unanswered keepalive probes after which the connection is dropped.
			 */
			private int count = 3;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public Duration getIdle() {
				return this.idle;
			}

			public void setIdle(Duration idle) {
				this.idle = idle;
			}

			public Duration getInterval() {
				return this.interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public int getCount() {
				return this.count;
			}

			public void setCount(int count) {
				this.count = count;
			}

		}

	}

	/**
	 * Backoff between reconnect attempts.
	 */
	public static class Reconnect {

		/**
		 * How the delay between reconnect attempts grows.
		 */
		private ReconnectDelay delay = ReconnectDelay.FULL_JITTER;

		/**
		 * Shortest delay between reconnect attempts.
		 */
		private Duration min = Duration.ofMillis(10);

		/**
		 * Longest delay between reconnect attempts.
		 */
		private Duration max = Duration.ofSeconds(1);

		/**
		 * Base of the exponential growth, also the jitter base.
		 */
		private int base = 2;

		public ReconnectDelay getDelay() {
			return this.delay;
		}

		public void setDelay(ReconnectDelay delay) {
			this.delay = delay;
		}

		public Duration getMin() {
			return this.min;
		}

		public void setMin(Duration min) {
			this.min = min;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

		public int getBase() {
			return this.base;
		}

		public void setBase(int base) {
			this.base = base;
		}

	}

	/**
	 * What the starter does to the client's logs.
	 */
	public static class Logging {

		/**
		 * Whether Lettuce's per-attempt reconnect and topology refresh warnings are turned down
		 * (where logging.level does not set them) and summarised in the starter's own lines.
		 */
		private boolean foldLettuceWarnings = true;

		public boolean isFoldLettuceWarnings() {
			return this.foldLettuceWarnings;
		}

		public void setFoldLettuceWarnings(boolean foldLettuceWarnings) {
			this.foldLettuceWarnings = foldLettuceWarnings;
		}

	}

}
