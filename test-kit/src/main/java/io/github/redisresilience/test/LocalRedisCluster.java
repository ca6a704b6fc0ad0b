package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of {@code redis-server} processes on this machine, each node a "pod" with
 * its own loopback IP, that moves the way Kubernetes moves pods.
 * <p>
 * Every chaos operation returns once the cluster is healthy again (every running node reports
 * {@code cluster_state:ok}, sees every other running node at its current address, and every slot
 * is served by a running master) and reports the instant that happened. Names follow the pods: a
 * service name lists every ready pod and each pod has a stable host name, published in the hosts
 * file the JVM resolves from (see {@link #isDnsEnabled()}) and served with a real TTL by the
 * cluster's own {@link #dnsServer() DNS server}.
 * <pre>{@code
 * try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
 *     ChaosReport report = cluster.moveAllPods(OldAddresses.BLACK_HOLE);
 * }
 * }</pre>
 * Processes are stopped by PID on {@link #close()} and on JVM exit; only loopback addresses are used.
 */
public final class LocalRedisCluster implements AutoCloseable {

	/** Number of hash slots in a Redis Cluster. */
	public static final int SLOTS = 16384;

	/** System property that keeps each pod's data directory and {@code redis.log} after close, to debug a test. */
	public static final String KEEP_DATA_PROPERTY = "redis.kit.keep-data";

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(1);

	/** The node timeout of a pod cut off the cluster bus: longer than any freeze a test holds it in. */
	private static final Duration CUT_NODE_TIMEOUT = Duration.ofMinutes(10);

	/** How long a master's writes are held, at most, before a disruption fails it over. */
	private static final Duration WRITE_HOLD = Duration.ofSeconds(1);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?");

	private final Builder settings;

	private final String name;

	private final Path directory;

	private final AddressPool addresses;

	private final List<RedisPod> pods = new ArrayList<>();

	private final List<BlackHole> blackHoles = new ArrayList<>();

	/** The black holes moves left at old addresses ({@link OldAddresses#BLACK_HOLE}), until released. */
	private final List<BlackHole> oldAddressHoles = new ArrayList<>();

	/** The ACL user's passwords now; pods started later get them all. */
	private final Set<String> aclPasswords = new LinkedHashSet<>();

	/** A removed pod's ordinal is never reused: its name and data directory stay its own. */
	private int nextOrdinal;

	/** Created on the first {@link #partition(RedisPod)}: without it the kit needs neither root nor iptables. */
	private @Nullable IptablesChain iptables;

	private volatile @Nullable ClusterIpService clusterIpService;

	/** Takes a frozen pod out of its Services once its readiness delay has passed; daemon, lazy. */
	private @Nullable ScheduledExecutorService readinessTimer;

	private volatile List<InetSocketAddress> readyAddresses = List.of();

	/** Made at start when the builder asked for TLS; the names do not change when pods move. */
	private volatile @Nullable KitTls tls;

	private final Object dnsLock = new Object();

	private boolean dnsClosed;

	/** Started by the first {@link #dnsServer()}; guarded by {@link #dnsLock}. */
	private @Nullable KitDnsServer dnsServer;

	private final Thread shutdownHook;

	/** Closed by the shutdown hook before it stops the pods, newest first. */
	private final Deque<AutoCloseable> closeOnExitFirst = new ConcurrentLinkedDeque<>();

	private boolean closed;

	private LocalRedisCluster(Builder settings) {
		this.settings = settings;
		this.name = (settings.name != null) ? settings.name : "kit-" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
		this.directory = KitWorkspace.create(settings.workDirectory, this.name);
		this.addresses = new AddressPool(settings.port, new SecureRandom());
		if (settings.aclPassword != null) {
			this.aclPasswords.add(settings.aclPassword);
		}
		this.shutdownHook = new Thread(this::exit, "redis-cluster-kit-shutdown-" + this.name);
	}

	/**
	 * Has the JVM's exit (Ctrl+C, SIGTERM) close the given resource before this cluster's pods
	 * stop, so that an application using the cluster shuts down while the cluster still answers
	 * instead of logging connection failures. The JVM runs its shutdown hooks at the same time:
	 * when the resource is also closed by a hook of its own (as Spring Boot closes its application
	 * context), its {@code close()} must return only once it is closed.
	 * @param resource what to close first, e.g. the application that uses the cluster
	 */
	public void closeFirstOnExit(AutoCloseable resource) {
		this.closeOnExitFirst.push(resource);
	}

	private void exit() {
		for (AutoCloseable resource = this.closeOnExitFirst.poll(); resource != null; resource = this.closeOnExitFirst
			.poll()) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close {} before stopping {}: {}", resource, this.name, ex.toString());
			}
		}
		stopEverything();
	}

	/**
	 * A builder for a cluster; {@link Builder#start()} starts it.
	 * @return a builder with the defaults: 3 masters with 1 replica each on port 6379
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The cluster's name, the prefix of its pod and service names.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The binary the cluster runs.
	 * @return the binary and its version
	 */
	public RedisServerBinary binary() {
		return this.settings.binary;
	}

	/**
	 * The port every pod listens on, as in Kubernetes where pods share one container port.
	 * @return the client port
	 */
	public int port() {
		return this.settings.port;
	}

	/**
	 * The name of the headless service: resolves to the address of every ready pod, in pod order.
	 * @return the service name
	 */
	public String serviceName() {
		return this.name + "-svc";
	}

	/**
	 * The name of the ClusterIP service, which resolves to one virtual address once
	 * {@link #startClusterIpService()} has started it.
	 * @return the ClusterIP service name
	 */
	public String clusterIpServiceName() {
		return this.name + "-clusterip";
	}

	/**
	 * Starts a ClusterIP service in front of the pods, as Kubernetes gives a non-headless Service:
	 * each new connection to its address reaches a random ready pod (a frozen pod stays ready).
	 * Idempotent; closed with the cluster.
	 * @return the service
	 */
	public synchronized ClusterIpService startClusterIpService() {
		if (this.clusterIpService == null) {
			try {
				this.clusterIpService = ClusterIpService.open(this.addresses.next(), this::readyAddresses);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the ClusterIP service of " + this.name, ex);
			}
			publishDns();
		}
		return this.clusterIpService;
	}

	/** Read by the service's own thread without the cluster's lock, which chaos operations hold for seconds. */
	private List<InetSocketAddress> readyAddresses() {
		return this.readyAddresses;
	}

	/**
	 * What an application puts in {@code spring.data.redis.cluster.nodes}: the service name and
	 * port when the kit's DNS is enabled, every ready pod's current address otherwise.
	 * @return comma-separated {@code host:port} seeds
	 */
	public synchronized String seedNodes() {
		if (isDnsEnabled()) {
			return serviceName() + ":" + port();
		}
		return readyPods().stream()
			.map((pod) -> pod.address().getHostString() + ":" + port())
			.collect(Collectors.joining(","));
	}

	/**
	 * The domain under which each ready pod's IP resolves as a name, as Kubernetes publishes
	 * {@code 10-1-2-3.<namespace>.pod.cluster.local} for pod {@code 10.1.2.3}: pod
	 * {@code 127.0.5.9} is {@code 127-0-5-9.<domain>}. A remap rule can turn announced IPs into
	 * these names with a regular expression, and a certificate can cover them with one wildcard.
	 * @return the domain, e.g. {@code kit-1a2b.pod}
	 */
	public String podIpDomain() {
		return this.name + ".pod";
	}

	/**
	 * The name under {@link #podIpDomain()} of the given pod's current IP.
	 * @param pod the pod
	 * @return e.g. {@code 127-0-5-9.kit-1a2b.pod}
	 */
	public String podIpName(RedisPod pod) {
		return pod.address().getHostString().replace('.', '-') + "." + podIpDomain();
	}

	/**
	 * Whether the pods speak TLS only (see {@link Builder#tls()}).
	 * @return {@code true} for a TLS cluster
	 */
	public boolean isTls() {
		return this.tls != null;
	}

	/**
	 * The certificate of the CA that signed the pods' certificate, what clients trust.
	 * @return a PEM file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsCaCertificate() {
		return requireTls().caCertificate();
	}

	/**
	 * The DNS names the pods' certificate is valid for; no IP address is among them.
	 * @return the names, wildcards included
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public List<String> tlsCertificateNames() {
		return requireTls().names();
	}

	/**
	 * Spring Boot properties that make an application trust this cluster's CA through an SSL
	 * bundle and connect with TLS: {@code spring.ssl.bundle.pem.<name>.truststore.certificate},
	 * {@code spring.data.redis.ssl.enabled} and {@code spring.data.redis.ssl.bundle}, and the
	 * bundle's {@code keystore.certificate} and {@code keystore.private-key} when the cluster
	 * requires client certificates.
	 * @param bundleName the bundle's name
	 * @return the properties, in order
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Map<String, String> sslBundleProperties(String bundleName) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.ssl.bundle.pem." + bundleName + ".truststore.certificate",
				"file:" + tlsCaCertificate().toAbsolutePath());
		if (this.settings.requireClientCertificates) {
			properties.put("spring.ssl.bundle.pem." + bundleName + ".keystore.certificate",
					"file:" + tlsClientCertificate().toAbsolutePath());
			properties.put("spring.ssl.bundle.pem." + bundleName + ".keystore.private-key",
					"file:" + tlsClientKey().toAbsolutePath());
		}
		properties.put("spring.data.redis.ssl.enabled", "true");
		properties.put("spring.data.redis.ssl.bundle", bundleName);
		return properties;
	}

	KitTls tlsMaterial() {
		return requireTls();
	}

	/**
	 * A client certificate the cluster's CA signed, for clusters that
	 * {@link Builder#requireClientCertificates() require one}.
	 * @return a PEM file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsClientCertificate() {
		return requireTls().clientCertificate();
	}

	/**
	 * The private key of {@link #tlsClientCertificate()}, unencrypted: test material only.
	 * @return a PEM (PKCS#8) file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsClientKey() {
		return requireTls().clientKey();
	}

	private KitTls requireTls() {
		KitTls current = this.tls;
		if (current == null) {
			throw new IllegalStateException(this.name + " does not use TLS: start it with LocalRedisCluster.builder().tls()");
		}
		return current;
	}

	/**
	 * A DNS server for this cluster's names, started on the first call, as the cluster DNS of
	 * Kubernetes serves Services and pods: the {@link #serviceName() service name} lists every
	 * ready pod, each pod's {@link RedisPod#hostname() host name} and
	 * {@link #podIpName(RedisPod) pod-IP name} its current IP, and the
	 * {@link #clusterIpServiceName() ClusterIP service name} its virtual address, each A record
	 * with the {@link Builder#dnsTtl(Duration) TTL} of the builder. Answers change at the moments
	 * the hosts file does (see {@link #isDnsEnabled()}); every other name is {@code NXDOMAIN}, and
	 * nothing is forwarded. It listens on {@code 127.0.0.1}, over UDP and TCP on the same port,
	 * until the cluster is closed.
	 * <p>
	 * Point a resolver at it, e.g. the starter's {@code redis.resilience.dns.servers}. The JDK's
	 * own resolver cannot use it: it asks only the name servers of {@code /etc/resolv.conf} on
	 * port 53.
	 * @return the server's address and port
	 * @throws IllegalStateException if the cluster is closed
	 */
	public InetSocketAddress dnsServer() {
		synchronized (this.dnsLock) {
			if (this.dnsClosed) {
				throw new IllegalStateException(this.name + " is closed");
			}
			if (this.dnsServer == null) {
				this.dnsServer = KitDnsServer.start(this.name, this.settings.dnsTtl);
				this.dnsServer.publish(publishedNames());
				logger.info("{} serves the names of {}", this.dnsServer, this.name);
			}
			return this.dnsServer.address();
		}
	}

	/**
	 * The TTL of the records of the {@link #dnsServer() DNS server}.
	 * @return the TTL, whole seconds
	 */
	public Duration dnsTtl() {
		return this.settings.dnsTtl;
	}

	/**
	 * Whether names resolve: the JVM runs with {@code -Djdk.net.hosts.file} (and should run with
	 * {@code -Dsun.net.inetaddr.ttl=0} so lookups see changes at once).
	 * @return {@code true} if service and pod names resolve in this JVM
	 */
	public static boolean isDnsEnabled() {
		return HostsFile.get().isEnabled();
	}

	/**
	 * Every pod, by ordinal.
	 * @return the pods
	 */
	public synchronized List<RedisPod> pods() {
		return List.copyOf(this.pods);
	}

	/**
	 * The running pods whose nodes were masters when the cluster was last healthy.
	 * @return the masters
	 */
	public synchronized List<RedisPod> masters() {
		return this.pods.stream().filter((pod) -> pod.isRunning() && pod.role() == Role.MASTER).toList();
	}

	/**
	 * The running pods whose nodes were replicas when the cluster was last healthy.
	 * @return the replicas
	 */
	public synchronized List<RedisPod> replicas() {
		return this.pods.stream().filter((pod) -> pod.isRunning() && pod.role() == Role.REPLICA).toList();
	}

	/**
	 * The pod with the given ordinal.
	 * @param ordinal the ordinal
	 * @return the pod
	 */
	public synchronized RedisPod pod(int ordinal) {
		// Removed pods leave gaps: the list index is not the ordinal once the cluster scaled in.
		return this.pods.stream()
			.filter((pod) -> pod.ordinal() == ordinal)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No pod has ordinal " + ordinal));
	}

	/**
	 * The master pod that serves a slot now, as a running node sees it.
	 * @param slot the hash slot
	 * @return the pod
	 */
	public synchronized RedisPod masterOf(int slot) {
		for (RedisPod observer : upPods()) {
			try (RespConnection connection = connect(observer)) {
				Object reply = connection.call("CLUSTER", "SLOTS");
				for (Object range : (List<?>) reply) {
					List<?> fields = (List<?>) range;
					if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
						String id = (String) ((List<?>) fields.get(2)).get(2);
						return podWithNodeId(id);
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read the slots from {}", observer, ex);
			}
		}
		throw new IllegalStateException("No running node could tell the master of slot " + slot);
	}

	/**
	 * Starts the pods, forms the cluster and waits until it is healthy.
	 */
	private void start() {
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		int masters = this.settings.masters;
		int total = masters * (1 + this.settings.replicasPerMaster);
		for (int ordinal = 0; ordinal < total; ordinal++) {
			String podName = this.name + "-" + ordinal;
			Path data = this.directory.resolve(podName);
			RedisPod pod = new RedisPod(ordinal, podName, podName + "." + this.name + "-headless", data,
					this.addresses.next(), (ordinal < masters) ? Role.MASTER : Role.REPLICA);
			this.pods.add(pod);
		}
		this.nextOrdinal = total;
		try {
			if (this.settings.certificateNames != null) {
				this.tls = KitTls.generate(this.directory, certificateNames(this.settings.certificateNames));
			}
			for (RedisPod pod : this.pods) {
				Files.createDirectories(pod.dataDirectory());
				startProcess(pod);
				pod.nodeId(callOn(pod, "CLUSTER", "MYID"));
				callOn(pod, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(pod.ordinal() + 1));
			}
			publishDns();
			meetAll();
			assignSlots();
			Poll.until(this.settings.healTimeout, "every node to know every other", this::everyNodeKnowsEveryOther);
			for (int i = masters; i < total; i++) {
				RedisPod master = this.pods.get(i % masters);
				callOn(this.pods.get(i), "CLUSTER", "REPLICATE", master.nodeId());
			}
			awaitHealthy();
			logger.info("Redis Cluster {} ready: {} masters, {} replicas each, redis-server {}{}; seeds {}", this.name,
					masters, this.settings.replicasPerMaster, binary().version(), isTls() ? ", TLS" : "", seedNodes());
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new UncheckedIOException("Could not start Redis Cluster " + this.name, (IOException) ex);
		}
	}

	/** Names that stay with the cluster when pods move, so the certificate never has to be re-issued. */
	private List<String> certificateNames(CertificateNames choice) {
		List<String> names = new ArrayList<>();
		names.add(serviceName());
		names.add(clusterIpServiceName());
		this.pods.forEach((pod) -> names.add(pod.hostname()));
		if (choice == CertificateNames.ALL) {
			names.add("*." + podIpDomain());
		}
		return names;
	}

	/**
	 * Reschedules every pod to a new IP at once, as when a whole node pool is replaced: each pod is
	 * stopped, started again on a new address with the same data and node ID, and the cluster is
	 * healed with {@code CLUSTER MEET} between the new addresses.
	 * @param oldAddresses what becomes of the addresses the pods had
	 * @return when the cluster was healthy again and which addresses changed
	 */
	public synchronized ChaosReport moveAllPods(OldAddresses oldAddresses) {
		Instant started = Instant.now();
		List<RedisPod> moving = this.pods.stream().filter(RedisPod::isRunning).toList();
		moving.parallelStream().forEach(this::stopProcess);
		logger.debug("Stopped {} pods in {} ms", moving.size(), Duration.between(started, Instant.now()).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		for (RedisPod pod : moving) {
			changes.add(relocate(pod, oldAddresses));
		}
		moving.forEach(this::startProcess);
		publishDns();
		meetAll();
		logger.debug("Restarted and introduced {} pods {} ms after the move began", moving.size(),
				Duration.between(started, Instant.now()).toMillis());
		return logged(new ChaosReport("move-all-pods", started, awaitHealthy(), changes));
	}

	/**
	 * Reschedules the pods one at a time, highest ordinal first as a StatefulSet rolling update
	 * does, waiting for a healthy cluster after each.
	 * @param oldAddresses what becomes of the addresses the pods had
	 * @return from the first stop to the last heal, with every address change
	 */
	public synchronized ChaosReport rollingMove(OldAddresses oldAddresses) {
		Instant started = Instant.now();
		List<AddressChange> changes = new ArrayList<>();
		Instant healed = started;
		List<RedisPod> order = this.pods.stream()
			.filter(RedisPod::isRunning)
			.sorted(Comparator.comparingInt(RedisPod::ordinal).reversed())
			.toList();
		for (RedisPod pod : order) {
			ChaosReport step = movePod(pod, oldAddresses);
			changes.addAll(step.addressChanges());
			healed = step.healed();
		}
		return logged(new ChaosReport("rolling-move", started, healed, changes));
	}

	/**
	 * Reschedules one pod to a new IP.
	 * @param pod the pod
	 * @param oldAddresses what becomes of its old address
	 * @return when the cluster was healthy again
	 */
	public synchronized ChaosReport movePod(RedisPod pod, OldAddresses oldAddresses) {
		Instant started = Instant.now();
		stopProcess(pod);
		AddressChange change = relocate(pod, oldAddresses);
		startProcess(pod);
		publishDns();
		meetAll();
		return logged(new ChaosReport("move-pod " + pod.name(), started, awaitHealthy(), List.of(change)));
	}

	/**
	 * Kills a master with SIGKILL and waits until its replica is promoted; the pod stays down
	 * (and out of DNS) until {@link #restart(RedisPod)}. Every write the master answered is on its
	 * replicas before the kill (Redis replicates after it answers; the kit holds the master's
	 * writes for the moment that takes).
	 * @param master a running master pod
	 * @return when the promoted replica served the slots
	 */
	public synchronized ChaosReport killMaster(RedisPod master) {
		requireRole(master, Role.MASTER);
		holdWritesUntilReplicated(master);
		Instant started = Instant.now();
		Process process = master.process();
		if (process != null) {
			process.destroyForcibly();
			waitForExit(process);
		}
		master.stopped();
		publishDns();
		return logged(new ChaosReport("kill-master " + master.name(), started, awaitHealthy(), List.of()));
	}

	/**
	 * Redis answers a write before its replicas have it, so a master stopped in between loses writes
	 * its clients saw acknowledged, and no client can prevent that. Before a disruption that fails
	 * a master over, the kit holds the master's writes ({@code CLIENT PAUSE WRITE}, a second at
	 * most) until every replica has processed its replication stream: the promoted replica then
	 * holds every write a client saw acknowledged, and a client's ledger stays exact. Writes sent
	 * meanwhile wait unanswered, as they would on a master that stopped.
	 */
	private void holdWritesUntilReplicated(RedisPod master) {
		List<RedisPod> replicas = replicasOf(master);
		try (RespConnection connection = connect(master)) {
			connection.callForString("CLIENT", "PAUSE", Long.toString(WRITE_HOLD.toMillis()), "WRITE");
			long offset = replicationOffset(connection.callForString("INFO", "replication"), "master_repl_offset");
			Poll.until(WRITE_HOLD.dividedBy(2), () -> "the replicas of " + master + " to reach offset " + offset,
					() -> replicas.stream().allMatch((replica) -> replicatedOffset(replica) >= offset));
		}
		catch (IOException | IllegalStateException ex) {
			// The disruption goes ahead: a write lost now shows in the client's ledger, with this reason.
			logger.warn("Could not hold the writes of {} until its replicas had them: {}", master, ex.toString());
		}
	}

	/** How far a replica has processed its master's replication stream, or -1 if unknown. */
	private long replicatedOffset(RedisPod replica) {
		try (RespConnection connection = connect(replica)) {
			return replicationOffset(connection.callForString("INFO", "replication"), "slave_repl_offset");
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static long replicationOffset(String info, String field) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(field + ":")) {
				return Long.parseLong(line.substring(field.length() + 1).strip());
			}
		}
		return -1;
	}

	/**
	 * Stops a pod (SIGTERM) and returns at once, without waiting for the cluster to heal: stopping a
	 * master and all its replicas leaves slots uncovered until {@link #restart(RedisPod)}.
	 * @param pod a running pod
	 */
	public synchronized void stop(RedisPod pod) {
		stopProcess(pod);
		publishDns();
	}

	/**
	 * The running pods whose nodes replicate the given master now.
	 * @param master a master pod
	 * @return its replicas
	 */
	public synchronized List<RedisPod> replicasOf(RedisPod master) {
		List<RedisPod> replicas = new ArrayList<>();
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
					.stream()
					.filter((line) -> line.isMyself() && !line.isMaster() && line.masterId().equals(master.nodeId()))
					.findFirst()
					.ifPresent((line) -> replicas.add(pod));
			}
			catch (IOException ex) {
				logger.debug("Could not read the role of {}", pod, ex);
			}
		}
		return replicas;
	}

	/**
	 * Starts a pod again on the address it had, as Kubernetes restarts a container in place; a
	 * running pod is stopped first.
	 * @param pod the pod
	 * @return when the cluster was healthy again with the pod in it
	 */
	public synchronized ChaosReport restart(RedisPod pod) {
		Instant started = Instant.now();
		stopProcess(pod);
		startProcess(pod);
		publishDns();
		meetAll();
		return logged(new ChaosReport("restart " + pod.name(), started, awaitHealthy(), List.of()));
	}

	/**
	 * Freezes a pod's process with SIGSTOP, as a long GC pause or a throttled container does: its
	 * connections stay open, the kernel still accepts new ones, nothing answers. The pod stays in
	 * DNS and behind the ClusterIP service, as a frozen pod stays behind its Service until its
	 * readiness probe fails: for the builder's readiness delay, or while it is frozen by default.
	 * @param pod a running pod
	 */
	public synchronized void pause(RedisPod pod) {
		// A pod cut off with iptables can be frozen too: only its process matters here.
		if (!pod.isRunning() || pod.isPaused()) {
			throw new IllegalStateException(pod + " is not running or already paused");
		}
		signal(pod, "STOP");
		pod.paused(true);
		Duration delay = this.settings.readinessDelay;
		if (delay != null) {
			if (this.readinessTimer == null) {
				this.readinessTimer = Executors.newSingleThreadScheduledExecutor((task) -> {
					Thread thread = new Thread(task, "redis-cluster-kit-readiness-" + this.name);
					thread.setDaemon(true);
					return thread;
				});
			}
			// publishDns reads only volatile state: it runs without the cluster's lock, which a chaos
			// operation may hold for seconds.
			this.readinessTimer.schedule(this::publishDns, delay.toMillis() + 1, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Freezes a master and waits, while it is still frozen, until its replica is promoted. Every
	 * write the master answered is on its replicas before it freezes, as with
	 * {@link #killMaster(RedisPod)}.
	 * @param master a running master pod
	 * @return when the rest of the cluster was healthy without it
	 */
	public synchronized ChaosReport pauseUntilFailover(RedisPod master) {
		requireRole(master, Role.MASTER);
		holdWritesUntilReplicated(master);
		Instant started = Instant.now();
		pause(master);
		return logged(new ChaosReport("pause-master " + master.name(), started, awaitHealthy(), List.of()));
	}

	/**
	 * Resumes a paused pod with SIGCONT and waits until the cluster is healthy with it.
	 * @param pod a paused pod
	 * @return when the cluster was healthy again
	 */
	public synchronized ChaosReport resume(RedisPod pod) {
		if (!pod.isPaused()) {
			throw new IllegalStateException(pod + " is not paused");
		}
		Instant started = Instant.now();
		signal(pod, "CONT");
		pod.paused(false);
		publishDns();
		return logged(new ChaosReport("resume " + pod.name(), started, awaitHealthy(), List.of()));
	}

	/**
	 * Opens a black hole at a loopback address; closed with the cluster at the latest.
	 * @param address the address
	 * @return the black hole, to close early
	 */
	public synchronized BlackHole blackHole(InetSocketAddress address) {
		BlackHole hole = BlackHole.open(address);
		this.blackHoles.add(hole);
		return hole;
	}

	/**
	 * Releases the old addresses that moves left hanging ({@link OldAddresses#BLACK_HOLE}): from
	 * now on they refuse connections, as an IP that no pod holds any more does once the network
	 * has forgotten it. A long run that moves pods again and again calls it once its clients have
	 * recovered, so that the sockets holding the black holes open do not pile up in the JVM.
	 * @return how many addresses (client and cluster bus ports) were released
	 */
	public synchronized int releaseOldAddresses() {
		int released = this.oldAddressHoles.size();
		this.oldAddressHoles.forEach(BlackHole::close);
		this.oldAddressHoles.clear();
		return released;
	}

	/**
	 * Why {@link #partition(RedisPod)} and {@link #loseNode(List)} cannot work on this machine, if
	 * they cannot: they need Linux, root and the {@code iptables} binary.
	 * @return the reason, empty when they work
	 */
	public static Optional<String> partitionUnavailableReason() {
		return IptablesChain.unavailableReason();
	}

	/**
	 * Cuts a pod's IP off with iptables while its process keeps running, as when the Kubernetes
	 * node hosting it is lost: every TCP packet from or to it is dropped (open connections hang,
	 * connects time out), cluster bus included, so the rest of the cluster fails it over after the
	 * node timeout. The pod stays in DNS, as Kubernetes keeps a lost node's pods ready until it
	 * declares the node gone. Closed with the cluster at the latest, and reaped after a crashed JVM.
	 * @param pod a running pod
	 * @return the partition, to close early
	 * @throws IllegalStateException if iptables is not usable (see {@link #partitionUnavailableReason()})
	 */
	public synchronized Partition partition(RedisPod pod) {
		return cutOff(pod, IptablesChain::drop);
	}

	/**
	 * Cuts a pod off the cluster bus with iptables (its links to its peers and theirs to it) while
	 * its client port stays reachable, as a network policy or a partition that spares the Service
	 * does. The rest of the cluster fails a cut-off master over after the node timeout, and the pod
	 * learns nothing of it until the cut is closed: frozen as well ({@link #pause(RedisPod)}), it
	 * wakes still believing it is the master, and serves its clients as one until then (its own
	 * {@code cluster-node-timeout} is raised while cut, so it never counts its peers as failing and
	 * refuses commands with {@code CLUSTERDOWN}). While cut, the kit leaves the pod out of its health
	 * checks and administration, as for {@link #partition(RedisPod)}. Closed with the cluster at the
	 * latest.
	 * @param pod a running pod
	 * @return the cut, to close early
	 * @throws IllegalStateException if iptables is not usable (see {@link #partitionUnavailableReason()})
	 */
	public synchronized Partition cutClusterBus(RedisPod pod) {
		int busPort = this.settings.port + 10000;
		// A pod that hears from no peer for the node timeout flags the peers it had pinged as
		// failing and, left without a majority, answers CLUSTERDOWN: after a freeze longer than
		// that, it would do so as soon as it wakes whenever pings to the other masters were
		// pending at the cut. Its own timeout is raised for the cut, so it serves as the master
		// it believes it is, as documented; the rest of the cluster keeps its timeout.
		boolean raised = pod.isRunning() && !pod.isPaused();
		if (raised) {
			setNodeTimeout(pod, CUT_NODE_TIMEOUT);
		}
		Runnable restoreNodeTimeout = () -> {
			if (raised && pod.isRunning() && !pod.isPaused()) {
				setNodeTimeout(pod, this.settings.nodeTimeout);
			}
		};
		try {
			return cutOff(pod, (chain, address) -> chain.dropClusterBus(address, busPort), restoreNodeTimeout);
		}
		catch (RuntimeException ex) {
			restoreNodeTimeout.run();
			throw ex;
		}
	}

	private void setNodeTimeout(RedisPod pod, Duration timeout) {
		try {
			callOn(pod, "CONFIG", "SET", "cluster-node-timeout", Long.toString(timeout.toMillis()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not set the node timeout of " + pod, ex);
		}
	}

	/**
	 * Loses every reply a pod sends to its clients with iptables, as a one-way network fault does:
	 * their commands still reach it, run and replicate, and the clients never hear back, so they
	 * cannot tell whether a command ran. The cluster bus and replication are untouched, and the
	 * cluster sees nothing wrong. Replies held back meanwhile arrive once the cut is closed (TCP
	 * sends them again) on connections the clients kept. The kit's own connections get no replies
	 * either: while cut, the pod is left out of its health checks and administration, and a chaos
	 * operation that waits for every slot to be served cannot complete. Closed with the cluster at
	 * the latest.
	 * @param pod a running pod
	 * @return the cut, to close early
	 * @throws IllegalStateException if iptables is not usable (see {@link #partitionUnavailableReason()})
	 */
	public synchronized Partition cutRepliesToClients(RedisPod pod) {
		int port = this.settings.port;
		return cutOff(pod, (chain, address) -> chain.dropReplies(address, port));
	}

	private Partition cutOff(RedisPod pod, BiConsumer<IptablesChain, InetAddress> drop) {
		return cutOff(pod, drop, () -> {
		});
	}

	private Partition cutOff(RedisPod pod, BiConsumer<IptablesChain, InetAddress> drop, Runnable afterRestore) {
		if (!pod.isRunning()) {
			throw new IllegalStateException(pod + " is not running");
		}
		if (this.iptables == null) {
			partitionUnavailableReason().ifPresent((reason) -> {
				throw new IllegalStateException(reason);
			});
			this.iptables = IptablesChain.open(this.name);
		}
		IptablesChain chain = this.iptables;
		InetAddress address = pod.address().getAddress();
		drop.accept(chain, address);
		pod.isolated(true);
		logger.debug("Cut off {} ({})", pod, chain);
		return new Partition(address, () -> {
			try {
				chain.restore(address);
			}
			finally {
				if (pod.address().getAddress().equals(address)) {
					pod.isolated(false);
					afterRestore.run();
				}
			}
		});
	}

	/**
	 * The pods one Kubernetes node hosts in a typical spread: the master of slot 0 and a replica of
	 * another master (anti-affinity keeps a master and its own replicas on different nodes, so
	 * losing the node costs one master, which fails over, and another master's only replica).
	 * @return the master of slot 0 and a replica of another master
	 * @throws IllegalStateException if no other master has a replica
	 */
	public synchronized List<RedisPod> podsOfOneNode() {
		RedisPod master = masterOf(0);
		RedisPod replica = masters().stream()
			.filter((other) -> other != master)
			.flatMap((other) -> replicasOf(other).stream())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master other than " + master + " has a replica"));
		return List.of(master, replica);
	}

	/**
	 * Loses a Kubernetes node: its pods' IPs are cut off first ({@link #partition(RedisPod)}), the
	 * rest of the cluster fails them over after the node timeout, then the pods are stopped
	 * (SIGKILL, as a force-deleted pod of a lost node) and started again on new IPs with their data,
	 * while the old IPs stay cut off; the cluster heals with them as replicas. Every write a master
	 * among them answered is on its replicas before the cut, as with {@link #killMaster(RedisPod)}.
	 * @param pods the node's pods (see {@link #podsOfOneNode()}); each master among them needs a
	 * replica elsewhere
	 * @return when the failover was done and when the cluster was healthy again
	 */
	public synchronized NodeLoss loseNode(List<RedisPod> pods) {
		for (RedisPod pod : pods) {
			if (!pod.isUp()) {
				throw new IllegalArgumentException(pod + " is not running and reachable");
			}
		}
		for (RedisPod pod : pods) {
			if (pod.role() == Role.MASTER) {
				holdWritesUntilReplicated(pod);
			}
		}
		Instant started = Instant.now();
		pods.forEach(this::partition);
		Instant promoted = awaitHealthy();
		logger.debug("{} failed over {} ms after the cut", pods, Duration.between(started, promoted).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		Set<String> cutOff = pods.stream().map((pod) -> pod.address().getAddress().getHostAddress()).collect(Collectors.toSet());
		for (RedisPod pod : pods) {
			kill(pod);
			// Nothing listens at the old address any more, and its iptables rules stay: it hangs.
			changes.add(relocate(pod, OldAddresses.REFUSE));
		}
		pods.forEach(this::startProcess);
		publishDns();
		meetAll();
		NodeLoss loss = new NodeLoss(started, promoted, awaitHealthy(), pods, changes);
		closeConnectionsFrom(cutOff);
		logger.info("{}", loss);
		return loss;
	}

	/**
	 * Closes the connections the other nodes still hold from cut-off addresses. No FIN or RST ever
	 * comes from a cut-off address, so they stay open until Redis' own timeouts: a master keeps
	 * its lost replica's link for {@code repl-timeout} (60 s) and, stopped with SIGTERM meanwhile,
	 * waits {@code shutdown-timeout} (10 s) for that replica to catch up, which slows down the next
	 * chaos operation by as much.
	 */
	private void closeConnectionsFrom(Set<String> addresses) {
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				for (String client : connection.callForString("CLIENT", "LIST").split("\n")) {
					String peer = field(client, "addr");
					if (peer != null && addresses.contains(peer.substring(0, peer.lastIndexOf(':')))) {
						logger.debug("Closing the connection from {} on {}", peer, pod);
						killClient(connection, peer);
					}
				}
			}
			catch (IOException ex) {
				logger.debug("Could not list the connections of {}", pod, ex);
			}
		}
	}

	private static void killClient(RespConnection connection, String peer) {
		try {
			connection.call("CLIENT", "KILL", "ADDR", peer);
		}
		catch (IOException ex) {
			// Gone in the meantime.
			logger.debug("Could not close the connection from {}", peer, ex);
		}
	}

	private static @Nullable String field(String clientLine, String name) {
		for (String field : clientLine.strip().split(" ")) {
			if (field.startsWith(name + "=") && field.indexOf(':') > 0) {
				return field.substring(name.length() + 1);
			}
		}
		return null;
	}

	private static void kill(RedisPod pod) {
		Process process = pod.process();
		if (process != null) {
			// SIGKILL ends a frozen (SIGSTOP) process too.
			process.destroyForcibly();
			waitForExit(process);
		}
		pod.stopped();
	}

	/**
	 * Scales out: starts a new, empty master pod (the next ordinal, a new address), introduces it
	 * with {@code CLUSTER MEET} and publishes its names; it serves no slot until
	 * {@link #migrateSlots(RedisPod, int)}.
	 * @return the new pod, known to every node
	 * @throws IllegalStateException on a TLS cluster, whose certificate holds only the pods it
	 * was made for
	 */
	public synchronized RedisPod addMaster() {
		Instant started = Instant.now();
		RedisPod pod = newPod(Role.MASTER);
		logged(new ChaosReport("add-master " + pod.name(), started, awaitHealthy(), List.of()));
		return pod;
	}

	/**
	 * Adds a replica pod to a master: started empty, introduced with {@code CLUSTER MEET}, then
	 * {@code CLUSTER REPLICATE}; returns once it has synced.
	 * @param master a running master pod
	 * @return the new pod
	 */
	public synchronized RedisPod addReplica(RedisPod master) {
		requireRole(master, Role.MASTER);
		Instant started = Instant.now();
		RedisPod pod = newPod(Role.REPLICA);
		try {
			callOn(pod, "CLUSTER", "REPLICATE", master.nodeId());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not make " + pod + " a replica of " + master, ex);
		}
		logged(new ChaosReport("add-replica " + pod.name() + " of " + master.name(), started, awaitHealthy(), List.of()));
		return pod;
	}

	/**
	 * The slots a master serves now, as it sees them.
	 * @param master a running master pod
	 * @return the slots, ascending
	 */
	public synchronized List<Integer> slotsOf(RedisPod master) {
		try (RespConnection connection = connect(master)) {
			List<Integer> slots = new ArrayList<>();
			for (Object range : (List<?>) connection.call("CLUSTER", "SLOTS")) {
				List<?> fields = (List<?>) range;
				if (master.nodeId().equals(((List<?>) fields.get(2)).get(2))) {
					IntStream.rangeClosed(((Long) fields.get(0)).intValue(), ((Long) fields.get(1)).intValue())
						.forEach(slots::add);
				}
			}
			return slots;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the slots of " + master, ex);
		}
	}

	/**
	 * Moves {@code count} slots to a master while clients keep using them, taken from the other
	 * masters in proportion to what they serve (as {@code redis-cli --cluster reshard} with every
	 * other master as source): clients see {@code ASK} during each slot's move and {@code MOVED}
	 * afterwards.
	 * @param target a running master pod, such as one from {@link #addMaster()}
	 * @param count how many slots it gets
	 * @return when every node agreed on the new owners
	 */
	public synchronized ChaosReport migrateSlots(RedisPod target, int count) {
		return migrateSlots(target, count, Duration.ZERO);
	}

	/**
	 * Moves slots to a master as {@link #migrateSlots(RedisPod, int)} does, pausing after every
	 * batch of 10 keys, as a migration of big slots on a busy cluster takes time: a slot with many
	 * keys stays {@code MIGRATING} for longer, and clients that use it follow {@code ASK}.
	 * @param target a running master pod
	 * @param count how many slots it gets
	 * @param batchPause the pause after each {@code MIGRATE} batch
	 * @return when every node agreed on the new owners
	 */
	public synchronized ChaosReport migrateSlots(RedisPod target, int count, Duration batchPause) {
		requireRole(target, Role.MASTER);
		Instant started = Instant.now();
		List<RedisPod> sources = masters().stream().filter((master) -> master != target).toList();
		Map<RedisPod, List<Integer>> owned = new LinkedHashMap<>();
		sources.forEach((source) -> owned.put(source, slotsOf(source)));
		int available = owned.values().stream().mapToInt(List::size).sum();
		if (count < 1 || count > available) {
			throw new IllegalArgumentException("count must be between 1 and " + available + ", not " + count);
		}
		Map<RedisPod, List<Integer>> plan = new LinkedHashMap<>();
		int planned = 0;
		for (int i = 0; i < sources.size(); i++) {
			List<Integer> slots = owned.get(sources.get(i));
			int share = (i == sources.size() - 1) ? count - planned
					: Math.min(slots.size(), (int) ((long) count * slots.size() / available));
			// The highest slots of each source, as redis-cli takes them.
			plan.put(sources.get(i), slots.subList(slots.size() - share, slots.size()));
			planned += share;
		}
		int keys = migrate(plan, target, batchPause);
		return logged(new ChaosReport("migrate " + count + " slots (" + keys + " keys) to " + target.name(), started,
				awaitSlotsAgreed(), List.of()));
	}

	/**
	 * Scales in: drains a master (its slots move to the other masters, evenly, with their keys, as
	 * with {@link #migrateSlots(RedisPod, int)}), points its replicas at the master that took its
	 * last slot, has every other node {@code CLUSTER FORGET} it, stops the pod and withdraws its
	 * names, as {@code redis-cli --cluster del-node} after a reshard.
	 * @param master a running master pod; at least three masters remain
	 * @return when the cluster was healthy without it
	 */
	public synchronized ChaosReport removeMaster(RedisPod master) {
		requireRole(master, Role.MASTER);
		List<RedisPod> others = masters().stream().filter((other) -> other != master).toList();
		if (others.size() < 3) {
			throw new IllegalStateException("A Redis Cluster needs at least 3 masters; " + master + " is one of them");
		}
		Instant started = Instant.now();
		List<RedisPod> replicas = replicasOf(master);
		List<Integer> slots = slotsOf(master);
		Map<RedisPod, List<Integer>> plan = new LinkedHashMap<>();
		for (int i = 0; i < others.size(); i++) {
			plan.put(others.get(i), slots.subList(slots.size() * i / others.size(), slots.size() * (i + 1) / others.size()));
		}
		int keys = 0;
		try (SlotMigration migration = new SlotMigration(this::adminConnection, masters(), this.settings.password)) {
			plan.forEach((target, share) -> migration.move(master, target, share));
			keys = migration.keysMoved();
		}
		awaitSlotsAgreed();
		RedisPod heir = others.get(others.size() - 1);
		for (RedisPod replica : replicas) {
			try {
				callOn(replica, "CLUSTER", "REPLICATE", heir.nodeId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not move " + replica + " to " + heir, ex);
			}
		}
		forget(master);
		return logged(new ChaosReport("remove-master " + master.name() + " (" + slots.size() + " slots, " + keys
				+ " keys moved)", started, awaitHealthy(), List.of()));
	}

	/**
	 * Scales in a replica: every other node {@code CLUSTER FORGET}s it, then the pod stops and its
	 * names are withdrawn.
	 * @param replica a running replica pod
	 * @return when the cluster was healthy without it
	 */
	public synchronized ChaosReport removeReplica(RedisPod replica) {
		requireRole(replica, Role.REPLICA);
		Instant started = Instant.now();
		forget(replica);
		return logged(new ChaosReport("remove-replica " + replica.name(), started, awaitHealthy(), List.of()));
	}

	private RedisPod newPod(Role role) {
		if (isTls()) {
			throw new IllegalStateException("Scaling a TLS cluster is not supported: its certificate names only the pods it was made for");
		}
		int ordinal = this.nextOrdinal++;
		String podName = this.name + "-" + ordinal;
		RedisPod pod = new RedisPod(ordinal, podName, podName + "." + this.name + "-headless",
				this.directory.resolve(podName), this.addresses.next(), role);
		try {
			Files.createDirectories(pod.dataDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the data directory of " + pod, ex);
		}
		this.pods.add(pod);
		startProcess(pod);
		try {
			pod.nodeId(callOn(pod, "CLUSTER", "MYID"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the node ID of " + pod, ex);
		}
		publishDns();
		meetAll();
		Poll.until(this.settings.healTimeout, () -> "every node to know " + pod, this::everyNodeKnowsEveryOther);
		return pod;
	}

	private int migrate(Map<RedisPod, List<Integer>> plan, RedisPod target, Duration batchPause) {
		try (SlotMigration migration = new SlotMigration(this::adminConnection, masters(), this.settings.password)) {
			migration.batchPause(batchPause);
			plan.forEach((source, slots) -> migration.move(source, target, slots));
			return migration.keysMoved();
		}
	}

	/** Every running node sees the same owner for every slot, none of them importing or migrating. */
	private Instant awaitSlotsAgreed() {
		return Poll.until(this.settings.healTimeout, "every node to agree on the slots' owners", () -> {
			String agreed = null;
			for (RedisPod pod : upPods()) {
				try (RespConnection connection = connect(pod)) {
					String owners = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
						.stream()
						.filter((line) -> line.isMaster() && line.slotCount() > 0)
						.map((line) -> line.id() + "=" + line.slotCount())
						.sorted()
						.collect(Collectors.joining(","));
					if (agreed != null && !agreed.equals(owners)) {
						return false;
					}
					agreed = owners;
				}
				catch (IOException ex) {
					return false;
				}
			}
			return true;
		});
	}

	/** Every other node forgets the pod (within the 60 s ban it cannot rejoin), then it stops for good. */
	private void forget(RedisPod pod) {
		for (RedisPod other : upPods()) {
			if (other == pod) {
				continue;
			}
			try {
				callOn(other, "CLUSTER", "FORGET", pod.nodeId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(other + " could not forget " + pod, ex);
			}
		}
		stopProcess(pod);
		this.pods.remove(pod);
		publishDns();
	}

	/** An administration connection with a timeout long enough for {@code MIGRATE}. */
	private RespConnection adminConnection(RedisPod pod) throws IOException {
		return connect(pod, SlotMigration.TIMEOUT);
	}

	/**
	 * Adds a password to an ACL user on every running node ({@code ACL SETUSER <user> ><password>}),
	 * the first step of a rotation: both the old and the new password are valid until
	 * {@link #removeAclPassword(String, String)}. Pods started later get it too.
	 * @param username the user, as given to {@link Builder#aclUser(String, String)}
	 * @param password the new password, same characters as {@link Builder#password(String)}
	 */
	public synchronized void addAclPassword(String username, String password) {
		requireAclUser(username);
		String token = Builder.requireConfigToken("password", password);
		callOnEveryPod("ACL", "SETUSER", username, ">" + token);
		this.aclPasswords.add(token);
	}

	/**
	 * Removes a password from an ACL user on every running node ({@code ACL SETUSER <user> <<password>}),
	 * the last step of a rotation. Connections that authenticated with it stay open, as Redis
	 * keeps them: {@link #closeClientConnections()} makes clients authenticate again.
	 * @param username the user, as given to {@link Builder#aclUser(String, String)}
	 * @param password the password to remove
	 */
	public synchronized void removeAclPassword(String username, String password) {
		requireAclUser(username);
		callOnEveryPod("ACL", "SETUSER", username, "<" + password);
		this.aclPasswords.remove(password);
	}

	/**
	 * Closes every client connection on every running node ({@code CLIENT KILL TYPE normal}), as a
	 * rolling restart of the pods or an operator does to make clients reconnect and authenticate
	 * again; replication and cluster bus links stay up.
	 * @return how many connections were closed
	 */
	public synchronized long closeClientConnections() {
		long closed = 0;
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				// SKIPME yes (the default) keeps the kit's own connection.
				Object killed = connection.call("CLIENT", "KILL", "TYPE", "normal");
				closed += (killed instanceof Long count) ? count : 0;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not close the client connections of " + pod, ex);
			}
		}
		logger.info("Closed {} client connection(s) on {} pods", closed, upPods().size());
		return closed;
	}

	private void requireAclUser(String username) {
		if (!username.equals(this.settings.aclUsername)) {
			throw new IllegalArgumentException("The cluster has no ACL user '" + username + "' (see Builder#aclUser)");
		}
	}

	/** Never logs the command: it may hold a secret. */
	private void callOnEveryPod(String... command) {
		for (RedisPod pod : upPods()) {
			try {
				callOn(pod, command);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not run " + command[0] + " " + command[1] + " on " + pod, ex);
			}
		}
	}

	/**
	 * Waits until the cluster is healthy.
	 * @return the first instant it was seen healthy
	 * @throws IllegalStateException if it is not healthy within the heal timeout
	 */
	public synchronized Instant awaitHealthy() {
		Instant healed = Poll.until(this.settings.healTimeout, this::describeUnhealthy, () -> {
			repointReplicas();
			return isHealthy();
		});
		refreshRoles();
		return healed;
	}

	/**
	 * Points each replica whose master moved at the master's new address, as operators do.
	 * <p>
	 * Redis updates a peer's address from gossip without moving the replication link, and once the
	 * address is updated the direct path that would move it sees nothing new: a replica whose master
	 * moved can keep dialling the old address for ever. {@code CLUSTER REPLICATE} re-targets it.
	 */
	private void repointReplicas() {
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
				ClusterNodesLine myself = view.stream().filter(ClusterNodesLine::isMyself).findFirst().orElse(null);
				if (myself == null || myself.isMaster()) {
					continue;
				}
				ClusterNodesLine master = view.stream()
					.filter((line) -> line.id().equals(myself.masterId()) && !line.isFailing())
					.findFirst()
					.orElse(null);
				String replication = connection.callForString("INFO", "replication");
				if (master != null && !replication.contains("master_host:" + master.host() + "\r\n")) {
					logger.debug("Re-pointing replica {} at its master {}:{}", pod, master.host(), master.port());
					connection.call("CLUSTER", "REPLICATE", master.id());
				}
			}
			catch (IOException ex) {
				logger.debug("Could not check the replication target of {}", pod, ex);
			}
		}
	}

	/**
	 * Whether every running node reports the cluster healthy now.
	 * @return {@code true} if healthy
	 */
	public synchronized boolean isHealthy() {
		return unhealthyReason() == null;
	}

	private @Nullable String unhealthyReason() {
		List<RedisPod> up = upPods();
		if (up.isEmpty()) {
			return "no pod is running";
		}
		RedisPod first = null;
		String firstMasters = null;
		for (RedisPod observer : up) {
			ObserverView view = observe(observer, up);
			if (view.unhealthyReason() != null) {
				return observer.name() + ": " + view.unhealthyReason();
			}
			if (first == null) {
				first = observer;
				firstMasters = view.masters();
			}
			else if (!view.masters().equals(firstMasters)) {
				// A node that has just come back, or missed an election, can still list itself or another
				// node as the master of slots that have moved on: healthy on its own, but not settled.
				return first.name() + " and " + observer.name() + " disagree on the masters: " + firstMasters + " and "
						+ view.masters();
			}
		}
		return null;
	}

	/**
	 * What one node's view says of the cluster.
	 * @param unhealthyReason why the node's view is not healthy, {@code null} if it is
	 * @param masters the masters serving slots in the view and how many each serves, in id order
	 */
	private record ObserverView(@Nullable String unhealthyReason, String masters) {

	}

	private ObserverView observe(RedisPod observer, List<RedisPod> up) {
		try (RespConnection connection = connect(observer)) {
			if (!connection.callForString("CLUSTER", "INFO").contains("cluster_state:ok")) {
				return new ObserverView("cluster_state is not ok", "");
			}
			List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
			Map<String, ClusterNodesLine> byId = view.stream()
				.collect(Collectors.toMap(ClusterNodesLine::id, (line) -> line, (a, b) -> a));
			for (RedisPod other : up) {
				ClusterNodesLine line = byId.get(other.nodeId());
				if (line == null) {
					return new ObserverView("does not know " + other.name(), "");
				}
				if (line.isFailing() || (!line.isMyself() && !line.connected())) {
					return new ObserverView(
							"sees " + other.name() + " as " + line.flags() + (line.connected() ? "" : ", disconnected"), "");
				}
				if (!line.host().equals(other.address().getHostString()) || line.port() != other.address().getPort()) {
					return new ObserverView("sees " + other.name() + " at " + line.host() + ":" + line.port(), "");
				}
			}
			Set<String> upIds = up.stream().map(RedisPod::nodeId).collect(Collectors.toSet());
			List<ClusterNodesLine> serving = view.stream()
				.filter((line) -> line.isMaster() && !line.isFailing() && upIds.contains(line.id()) && line.slotCount() > 0)
				.sorted(Comparator.comparing(ClusterNodesLine::id))
				.toList();
			int served = serving.stream().mapToInt(ClusterNodesLine::slotCount).sum();
			if (served != SLOTS) {
				return new ObserverView("sees " + served + " slots served by running masters", "");
			}
			ClusterNodesLine myself = byId.get(observer.nodeId());
			if (!myself.isMaster()
					&& !connection.callForString("INFO", "replication").contains("master_link_status:up")) {
				return new ObserverView("replication link is not up", "");
			}
			String masters = serving.stream()
				.map((line) -> line.id() + "=" + line.slotCount())
				.collect(Collectors.joining(", ", "[", "]"));
			return new ObserverView(null, masters);
		}
		catch (IOException | RuntimeException ex) {
			return new ObserverView(ex.toString(), "");
		}
	}

	private String describeUnhealthy() {
		StringBuilder description = new StringBuilder("Redis Cluster ").append(this.name)
			.append(" to be healthy (last reason: ")
			.append(unhealthyReason())
			.append(")");
		// A frozen pod that still answers its peers would keep the cluster from failing it over: say
		// what the kernel thinks of its process ('T' is stopped).
		for (RedisPod pod : this.pods) {
			if (pod.isPaused()) {
				description.append("; ").append(pod.name()).append(" is paused: PID ").append(pod.pid())
					.append(", process state ").append(processState(pod.pid()));
			}
		}
		description.append("; views:");
		for (RedisPod observer : upPods()) {
			description.append("\n--- ").append(observer).append('\n');
			try (RespConnection connection = connect(observer)) {
				description.append(connection.callForString("CLUSTER", "NODES"));
			}
			catch (IOException | RuntimeException ex) {
				description.append(ex);
			}
		}
		return description.toString();
	}

	/** The state letter of a process from {@code /proc/<pid>/stat}, or {@code unknown}. */
	static String processState(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
			// "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
			int end = stat.lastIndexOf(')');
			return (end > 0 && end + 2 < stat.length()) ? stat.substring(end + 2, end + 3) : "unknown";
		}
		catch (IOException | RuntimeException ex) {
			return "unknown (" + ex.getClass().getSimpleName() + ")";
		}
	}

	private void refreshRoles() {
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
					.stream()
					.filter(ClusterNodesLine::isMyself)
					.findFirst()
					.ifPresent((myself) -> pod.role(myself.isMaster() ? Role.MASTER : Role.REPLICA));
			}
			catch (IOException ex) {
				logger.debug("Could not read the role of {}", pod, ex);
			}
		}
	}

	private boolean everyNodeKnowsEveryOther() {
		for (RedisPod pod : upPods()) {
			try (RespConnection connection = connect(pod)) {
				List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
				long known = view.stream().filter((line) -> !line.flags().contains("handshake")).count();
				if (known < this.pods.size()) {
					return false;
				}
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Introduces every running pod to every other at its current address. Between every pair, not
	 * through one introducer: a node learns a moved peer's address through a handshake at once,
	 * while gossip only moves it once the peer is flagged failing, and a failed master keeps its
	 * flag for twice the node timeout after it is reachable again.
	 */
	private void meetAll() {
		List<RedisPod> up = upPods();
		for (RedisPod pod : up) {
			for (RedisPod other : up) {
				if (pod == other) {
					continue;
				}
				try {
					callOn(pod, "CLUSTER", "MEET", other.address().getHostString(), Integer.toString(port()));
				}
				catch (IOException ex) {
					logger.debug("CLUSTER MEET from {} to {} failed; gossip will retry", pod, other, ex);
				}
			}
		}
	}

	private void assignSlots() throws IOException {
		int masters = this.settings.masters;
		for (int i = 0; i < masters; i++) {
			int first = SLOTS * i / masters;
			int last = SLOTS * (i + 1) / masters - 1;
			// ADDSLOTS with every slot spelled out: ADDSLOTSRANGE needs Redis 7.
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.rangeClosed(first, last).forEach((slot) -> command.add(Integer.toString(slot)));
			callOn(this.pods.get(i), command.toArray(String[]::new));
		}
	}

	private AddressChange relocate(RedisPod pod, OldAddresses oldAddresses) {
		InetSocketAddress from = pod.address();
		InetSocketAddress to = this.addresses.next();
		pod.address(to);
		// A cut-off address stays cut off; the pod's new one is reachable.
		pod.isolated(false);
		if (oldAddresses == OldAddresses.BLACK_HOLE) {
			this.oldAddressHoles.add(BlackHole.open(from));
			this.oldAddressHoles.add(BlackHole.open(new InetSocketAddress(from.getAddress(), from.getPort() + 10_000)));
		}
		return new AddressChange(pod.nodeId(), from, to);
	}

	private void startProcess(RedisPod pod) {
		try {
			Path config = writeConfig(pod);
			Path log = pod.dataDirectory().resolve("redis.log");
			Process process = new ProcessBuilder(binary().path().toString(), config.toString())
				.directory(pod.dataDirectory().toFile())
				.redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(log.toFile()))
				.start();
			KitWorkspace.recordPid(this.directory, process.pid());
			pod.started(process);
			Poll.until(Duration.ofSeconds(15), () -> pod + " to answer PING; log:\n" + tail(log),
					() -> process.isAlive() && answersPing(pod) || failIfDead(process, pod, log));
			logger.debug("Started {} (PID {})", pod, process.pid());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + pod, ex);
		}
	}

	private boolean failIfDead(Process process, RedisPod pod, Path log) {
		if (!process.isAlive()) {
			pod.stopped();
			throw new IllegalStateException(pod + " exited with " + process.exitValue() + "; log:\n" + tail(log));
		}
		return false;
	}

	private Path writeConfig(RedisPod pod) throws IOException {
		String ip = pod.address().getHostString();
		StringBuilder config = new StringBuilder();
		config.append("bind ").append(ip).append('\n');
		KitTls currentTls = this.tls;
		if (currentTls != null) {
			config.append(currentTls.redisConfig(port(), this.settings.requireClientCertificates));
		}
		else {
			config.append("port ").append(port()).append('\n');
		}
		config.append("protected-mode no\n");
		config.append("daemonize no\n");
		config.append("dir ").append(pod.dataDirectory().toAbsolutePath()).append('\n');
		config.append("cluster-enabled yes\n");
		config.append("cluster-config-file nodes.conf\n");
		config.append("cluster-node-timeout ").append(this.settings.nodeTimeout.toMillis()).append('\n');
		config.append("cluster-announce-ip ").append(ip).append('\n');
		// cluster-replica-validity-factor keeps its default (10): a replica that restarted and never
		// reached its master must not take over, or moving every pod at once would promote replicas
		// that miss the master's last acknowledged writes.
		// A restarted replica needs a full sync; Redis 7 would wait 5 s for other replicas to share it.
		config.append("repl-diskless-sync-delay 0\n");
		config.append("appendonly yes\n");
		config.append("appendfsync everysec\n");
		config.append("save \"\"\n");
		if (binary().isAtLeast(7)) {
			// Without it the cluster bus connects from 127.0.0.1 and peers see the wrong source address.
			config.append("bind-source-addr ").append(ip).append('\n');
			if (this.settings.announceHostnames) {
				config.append("cluster-announce-hostname ").append(pod.hostname()).append('\n');
				config.append("cluster-preferred-endpoint-type ")
					.append(this.settings.preferredEndpointType.configValue)
					.append('\n');
			}
		}
		if (this.settings.password != null) {
			// The default user's password; replicas use it to sync from their master.
			config.append("requirepass ").append(this.settings.password).append('\n');
			config.append("masterauth ").append(this.settings.password).append('\n');
		}
		if (this.settings.aclUsername != null) {
			// Redis 6.2 and 7 both accept channel patterns (&*); Redis 7 denies channels by default.
			config.append("user ").append(this.settings.aclUsername).append(" on");
			this.aclPasswords.forEach((password) -> config.append(" >").append(password));
			config.append(" ~* &* +@all\n");
		}
		this.settings.extraConfig.forEach((directive, value) -> config.append(directive).append(' ').append(value).append('\n'));
		Path file = pod.dataDirectory().resolve("redis.conf");
		Files.writeString(file, config, StandardCharsets.UTF_8);
		return file;
	}

	private void stopProcess(RedisPod pod) {
		Process process = pod.process();
		if (process == null) {
			pod.stopped();
			return;
		}
		if (pod.isUp()) {
			awaitNoAofRewrite(pod);
		}
		if (pod.isPaused()) {
			signal(pod, "CONT");
		}
		process.destroy();
		if (!waitForExit(process)) {
			process.destroyForcibly();
			waitForExit(process);
		}
		pod.stopped();
	}

	/**
	 * Redis refuses to stop while it writes its first append-only file (as a replica does right
	 * after a full sync; seen with 6.2): it logs "Writing initial AOF, can't exit" and ignores the
	 * SIGTERM, and the kit would wait out its stop timeout before it kills the pod. The kit lets
	 * the rewrite finish first, which takes milliseconds on a test's data.
	 */
	private void awaitNoAofRewrite(RedisPod pod) {
		try {
			Poll.until(STOP_TIMEOUT.dividedBy(2), () -> pod + " to finish rewriting its append-only file",
					() -> !rewritesAof(pod));
		}
		catch (IllegalStateException ex) {
			logger.warn("Stopping {} while it may still rewrite its append-only file: {}", pod, ex.getMessage());
		}
	}

	private boolean rewritesAof(RedisPod pod) {
		try (RespConnection connection = connect(pod)) {
			String persistence = connection.callForString("INFO", "persistence");
			return persistence.contains("aof_rewrite_in_progress:1") || persistence.contains("aof_rewrite_scheduled:1");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean waitForExit(Process process) {
		try {
			return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void signal(RedisPod pod, String signal) {
		long pid = pod.pid();
		if (pid <= 0) {
			throw new IllegalStateException(pod + " has no process to signal");
		}
		try {
			// The shell's own kill: no dependency on procps being installed.
			Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).redirectErrorStream(true).start();
			if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to " + pod, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + pod, ex);
		}
	}

	private void publishDns() {
		// The readiness timer publishes too, without the cluster's lock: one publisher at a time, and
		// none once the cluster has removed its names.
		synchronized (this.dnsLock) {
			if (!this.dnsClosed) {
				publishReadyPods();
			}
		}
	}

	private void publishReadyPods() {
		this.readyAddresses = readyPods().stream().map(RedisPod::address).toList();
		// One list for both, so the hosts file and the DNS server never disagree.
		Map<String, List<String>> names = publishedNames();
		if (this.dnsServer != null) {
			this.dnsServer.publish(names);
		}
		if (HostsFile.get().isEnabled()) {
			HostsFile.get().publish(this.name, names);
		}
	}

	/** Every name of the cluster with the addresses it resolves to now. */
	private Map<String, List<String>> publishedNames() {
		Map<String, List<String>> names = new LinkedHashMap<>();
		List<String> ready = readyPods().stream().map((pod) -> pod.address().getHostString()).toList();
		names.put(serviceName(), ready);
		for (RedisPod pod : readyPods()) {
			names.put(pod.hostname(), List.of(pod.address().getHostString()));
			names.put(podIpName(pod), List.of(pod.address().getHostString()));
		}
		if (this.clusterIpService != null) {
			names.put(clusterIpServiceName(), List.of(this.clusterIpService.address().getHostString()));
		}
		return names;
	}

	/** Pods behind the services: running ones; a frozen pod stays until its readiness delay has passed. */
	private List<RedisPod> readyPods() {
		Duration delay = this.settings.readinessDelay;
		Instant now = Instant.now();
		return this.pods.stream()
			.filter(RedisPod::isRunning)
			.filter((pod) -> delay == null || !pod.isPaused() || now.isBefore(pod.pausedAt().plus(delay)))
			.toList();
	}

	private List<RedisPod> upPods() {
		return this.pods.stream().filter(RedisPod::isUp).toList();
	}

	private RedisPod podWithNodeId(String nodeId) {
		return this.pods.stream()
			.filter((pod) -> pod.nodeId().equals(nodeId))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No pod has node ID " + nodeId));
	}

	private static void requireRole(RedisPod pod, Role role) {
		if (pod.role() != role || !pod.isUp()) {
			throw new IllegalArgumentException(pod + " is not a running " + role);
		}
	}

	private boolean answersPing(RedisPod pod) {
		try {
			return "PONG".equals(callOn(pod, "PING"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	String callOn(RedisPod pod, String... command) throws IOException {
		try (RespConnection connection = connect(pod)) {
			return connection.callForString(command);
		}
	}

	RespConnection connect(RedisPod pod) throws IOException {
		return connect(pod, ADMIN_TIMEOUT);
	}

	RespConnection connect(RedisPod pod, Duration timeout) throws IOException {
		KitTls currentTls = this.tls;
		// Over TLS the kit dials the pod's IP and verifies its stable name, which is all the
		// certificate holds: the kit does not depend on its own DNS to administer the cluster.
		RespConnection connection = (currentTls != null)
				? RespConnection.openTls(pod.address(), pod.hostname(), timeout, currentTls.socketFactory())
				: RespConnection.open(pod.address(), timeout);
		if (this.settings.password == null) {
			return connection;
		}
		try {
			connection.call("AUTH", this.settings.password);
			return connection;
		}
		catch (IOException ex) {
			connection.close();
			throw ex;
		}
	}

	private static ChaosReport logged(ChaosReport report) {
		logger.info("{}", report);
		return report;
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/**
	 * Stops every process by PID, closes every black hole and partition, removes the cluster's names
	 * and files.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		stopEverything();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is already shutting down and runs the hook itself.
		}
		if (Boolean.getBoolean(KEEP_DATA_PROPERTY)) {
			logger.info("Keeping the data and logs of {} in {}", this.name, this.directory);
		}
		else {
			KitWorkspace.delete(this.directory);
		}
	}

	/** Each step on its own: one failure must not leave the other processes and names behind. */
	private void stopEverything() {
		for (RedisPod pod : this.pods) {
			Process process = pod.process();
			if (process == null) {
				continue;
			}
			try {
				// SIGKILL ends a stopped (SIGSTOP) process too.
				process.destroyForcibly();
				waitForExit(process);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not stop {}: {}", pod, ex.toString());
			}
			pod.stopped();
		}
		this.blackHoles.forEach(BlackHole::close);
		this.blackHoles.clear();
		releaseOldAddresses();
		if (this.iptables != null) {
			try {
				this.iptables.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove {}: {}", this.iptables, ex.toString());
			}
		}
		if (this.clusterIpService != null) {
			this.clusterIpService.close();
		}
		if (this.readinessTimer != null) {
			this.readinessTimer.shutdownNow();
			try {
				this.readinessTimer.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this.dnsLock) {
			this.dnsClosed = true;
			HostsFile.get().remove(this.name);
			if (this.dnsServer != null) {
				this.dnsServer.close();
			}
		}
	}

	@Override
	public String toString() {
		return "LocalRedisCluster " + this.name + " " + this.pods;
	}

	/**
	 * What becomes of a pod's old address when it moves.
	 */
	public enum OldAddresses {

		/** Nothing listens there any more: connects are refused at once. */
		REFUSE,

		/**
		 * Connects hang until the client's own timeout, as with a vanished pod IP, until the
		 * cluster closes or {@link LocalRedisCluster#releaseOldAddresses()}.
		 */
		BLACK_HOLE

	}

	/**
	 * Which endpoint nodes announce in redirects and {@code CLUSTER SLOTS} when pods announce host names.
	 */
	public enum PreferredEndpoint {

		/** Redirects carry IPs; {@code CLUSTER NODES} carries the host names too (the Redis default). */
		IP("ip"),

		/** Redirects and {@code CLUSTER SLOTS} carry the pods' host names. */
		HOSTNAME("hostname");

		private final String configValue;

		PreferredEndpoint(String configValue) {
			this.configValue = configValue;
		}

	}

	/**
	 * Which DNS names the pods' certificate is valid for (never IP addresses).
	 */
	public enum CertificateNames {

		/**
		 * The service names, every pod's host name and every name under
		 * {@link LocalRedisCluster#podIpDomain()} (one wildcard).
		 */
		ALL,

		/**
		 * The service names and every pod's host name only: a client that dials pod-IP names
		 * reaches the right pods but must reject their certificate.
		 */
		STABLE_NAMES

	}

	/**
	 * Settings of a {@link LocalRedisCluster}.
	 */
	public static final class Builder {

		private int masters = 3;

		private int replicasPerMaster = 1;

		private int port = 6379;

		private Duration nodeTimeout = Duration.ofSeconds(2);

		private Duration healTimeout = Duration.ofSeconds(60);

		private @Nullable String name;

		private Path workDirectory = KitWorkspace.defaultRoot();

		private boolean announceHostnames;

		private PreferredEndpoint preferredEndpointType = PreferredEndpoint.IP;

		private @Nullable Duration readinessDelay;

		private Duration dnsTtl = Duration.ofSeconds(5);

		private final Map<String, String> extraConfig = new LinkedHashMap<>();

		private @Nullable String password;

		private @Nullable String aclUsername;

		private @Nullable String aclPassword;

		private @Nullable CertificateNames certificateNames;

		private boolean requireClientCertificates;

		private RedisServerBinary binary;

		private Builder() {
		}

		/**
		 * Pods speak TLS only, on the client port, the cluster bus and replication, with a CA and
		 * a certificate made for the cluster at start (with {@code openssl}) for
		 * {@link CertificateNames#ALL all its names}. Clients trust
		 * {@link LocalRedisCluster#tlsCaCertificate()}; client certificates are not required.
		 * @return this builder
		 * @throws IllegalStateException on start, if redis-server was built without TLS or
		 * openssl is missing
		 */
		public Builder tls() {
			return tls(CertificateNames.ALL);
		}

		/**
		 * Pods speak TLS only, as with {@link #tls()}, with a certificate for the chosen names.
		 * @param certificateNames the names the certificate covers
		 * @return this builder
		 */
		public Builder tls(CertificateNames certificateNames) {
			this.certificateNames = certificateNames;
			return this;
		}

		/**
		 * Mutual TLS: pods speak TLS only, as with {@link #tls()} if no other TLS option was
		 * chosen, and accept only clients that present a certificate signed by the cluster's CA
		 * ({@code tls-auth-clients yes}), such as {@link LocalRedisCluster#tlsClientCertificate()}.
		 * @return this builder
		 */
		public Builder requireClientCertificates() {
			if (this.certificateNames == null) {
				this.certificateNames = CertificateNames.ALL;
			}
			this.requireClientCertificates = true;
			return this;
		}

		/**
		 * Number of masters (at least 3, as Redis Cluster needs a majority to fail over).
		 * @param masters the number of masters
		 * @return this builder
		 */
		public Builder masters(int masters) {
			if (masters < 3) {
				throw new IllegalArgumentException("A Redis Cluster needs at least 3 masters, not " + masters);
			}
			this.masters = masters;
			return this;
		}

		/**
		 * Number of replicas of each master.
		 * @param replicasPerMaster 0 or more
		 * @return this builder
		 */
		public Builder replicasPerMaster(int replicasPerMaster) {
			if (replicasPerMaster < 0) {
				throw new IllegalArgumentException("replicasPerMaster must be 0 or more, not " + replicasPerMaster);
			}
			this.replicasPerMaster = replicasPerMaster;
			return this;
		}

		/**
		 * The port every pod listens on; its bus port is 10000 higher.
		 * @param port the client port
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 1 || port > 55535) {
				throw new IllegalArgumentException("port must be between 1 and 55535, not " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * {@code cluster-node-timeout}: how long a node may be unreachable before it is failed over.
		 * @param nodeTimeout the timeout
		 * @return this builder
		 */
		public Builder nodeTimeout(Duration nodeTimeout) {
			this.nodeTimeout = nodeTimeout;
			return this;
		}

		/**
		 * The longest wait for the cluster to become healthy after start or chaos.
		 * @param healTimeout the timeout
		 * @return this builder
		 */
		public Builder healTimeout(Duration healTimeout) {
			this.healTimeout = healTimeout;
			return this;
		}

		/**
		 * The cluster's name: a lower-case DNS label, prefix of its pod and service names.
		 * @param name the name; random by default
		 * @return this builder
		 */
		public Builder name(String name) {
			if (!DNS_LABEL.matcher(name).matches()) {
				throw new IllegalArgumentException("name must be a short lower-case DNS label, not '" + name + "'");
			}
			this.name = name;
			return this;
		}

		/**
		 * Where the pods' data directories go.
		 * @param workDirectory a directory; a temporary one by default
		 * @return this builder
		 */
		public Builder workDirectory(Path workDirectory) {
			this.workDirectory = workDirectory;
			return this;
		}

		/**
		 * Pods announce their stable host names ({@code cluster-announce-hostname}, Redis 7).
		 * @param preferredEndpointType what redirects carry
		 * @return this builder
		 * @throws IllegalStateException if the binary is older than Redis 7
		 */
		public Builder announceHostnames(PreferredEndpoint preferredEndpointType) {
			this.announceHostnames = true;
			this.preferredEndpointType = preferredEndpointType;
			return this;
		}

		/**
		 * How long a frozen pod stays ready (in the service's DNS answer and behind the ClusterIP
		 * service) before it is taken out, as when its readiness probe fails; by default it stays
		 * for as long as it is frozen.
		 * @param readinessDelay the delay
		 * @return this builder
		 */
		public Builder readinessDelay(Duration readinessDelay) {
			this.readinessDelay = readinessDelay;
			return this;
		}

		/**
		 * The TTL of the A records the cluster's {@link LocalRedisCluster#dnsServer() DNS server}
		 * hands out: how long a resolver may keep an answer after a pod has moved.
		 * @param dnsTtl whole seconds; 5 s by default, as CoreDNS answers for Kubernetes
		 * @return this builder
		 */
		public Builder dnsTtl(Duration dnsTtl) {
			if (dnsTtl.isNegative() || dnsTtl.getNano() != 0 || dnsTtl.getSeconds() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("dnsTtl must be a whole number of seconds from 0, not " + dnsTtl);
			}
			this.dnsTtl = dnsTtl;
			return this;
		}

		/**
		 * Protect every node with a password ({@code requirepass}, and {@code masterauth} for
		 * replication): clients must authenticate as the default user, as with
		 * {@code spring.data.redis.password} alone. The kit's own connections authenticate too.
		 * @param password letters, digits and punctuation other than quotes, no white space
		 * @return this builder
		 */
		public Builder password(String password) {
			this.password = requireConfigToken("password", password);
			return this;
		}

		/**
		 * Add an ACL user allowed every command, key and channel
		 * ({@code user <name> on ><password> ~* &* +@all}), as with
		 * {@code spring.data.redis.username} and {@code spring.data.redis.password}. Combine
		 * it with {@link #password(String)} so that the default user cannot connect without a
		 * password either.
		 * @param username the user name
		 * @param password the user's password, same characters as {@link #password(String)}
		 * @return this builder
		 */
		public Builder aclUser(String username, String password) {
			this.aclUsername = requireConfigToken("username", username);
			this.aclPassword = requireConfigToken("password", password);
			return this;
		}

		private static String requireConfigToken(String what, String value) {
			// redis.conf splits on white space and unquotes; keep values verbatim tokens.
			if (value.isEmpty() || !value.chars().allMatch((c) -> c > ' ' && c < 127 && c != '"' && c != '\'' && c != '\\')) {
				throw new IllegalArgumentException(what + " must be printable ASCII without white space or quotes");
			}
			return value;
		}

		/**
		 * An extra {@code redis.conf} directive for every node.
		 * @param directive the directive, e.g. {@code maxmemory}
		 * @param value its value
		 * @return this builder
		 */
		public Builder config(String directive, String value) {
			this.extraConfig.put(directive, value);
			return this;
		}

		/**
		 * Starts the cluster and waits until it is healthy.
		 * @return the running cluster; close it to stop it
		 */
		public LocalRedisCluster start() {
			this.binary = RedisServerBinary.get();
			if (this.announceHostnames && !this.binary.isAtLeast(7)) {
				throw new IllegalStateException("Announced host names need Redis 7; redis-server is " + this.binary.version());
			}
			if (this.certificateNames != null) {
				String reason = TlsSupport.unavailableReason();
				if (reason != null) {
					throw new IllegalStateException("A TLS cluster cannot run here: " + reason);
				}
			}
			LocalRedisCluster cluster = new LocalRedisCluster(this);
			cluster.start();
			return cluster;
		}

	}

}
