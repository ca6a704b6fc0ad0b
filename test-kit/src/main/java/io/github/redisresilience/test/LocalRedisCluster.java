package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
 * <p>
 * The work is done by package-private classes of this package, one role each (processes, names
 * and Services, network, cuts, membership, health, moves, disruptions, scaling). This class wires
 * them and holds the cluster's lock and lifecycle; it is longer than they are only by the Javadoc
 * of its public API and by its {@link Builder}, which users know as this class's own.
 */
public final class LocalRedisCluster implements AutoCloseable {

	/** Number of hash slots in a Redis Cluster. */
	public static final int SLOTS = 16384;

	/** System property that keeps each pod's data directory and {@code redis.log} after close, to debug a test. */
	public static final String KEEP_DATA_PROPERTY = "redis.kit.keep-data";

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?");

	private final ClusterSettings settings;

	private final String name;

	private final Path directory;

	private final ClusterNames names;

	private final ClusterTls tls;

	private final AdminConnections admin;

	private final ClusterNetwork network;

	private final Pods pods;

	/** The ACL user's passwords now; pods started later get them all. */
	private final Set<String> aclPasswords = new LinkedHashSet<>();

	private final PodProcesses processes;

	private final ClusterServices services;

	private final ClusterHealth health;

	private final ClusterTopology topology;

	private final ClusterMembership membership;

	private final NetworkCuts cuts;

	private final WriteHold writeHold;

	private final Thread shutdownHook;

	/** Closed by the shutdown hook before it stops the pods, newest first. */
	private final Deque<AutoCloseable> closeOnExitFirst = new ConcurrentLinkedDeque<>();

	private boolean closed;

	private LocalRedisCluster(@Nullable String name, Path workDirectory, ClusterSettings settings) {
		this.settings = settings;
		this.name = (name != null) ? name : "kit-" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
		this.directory = KitWorkspace.create(workDirectory, this.name);
		this.names = new ClusterNames(this.name);
		this.network = new ClusterNetwork(new AddressPool(settings.port(), new SecureRandom()));
		this.tls = new ClusterTls(this.name);
		this.admin = new AdminConnections(this.tls, settings.password());
		this.pods = new Pods(this.names, this.directory, this.network::nextAddress);
		if (settings.aclPassword() != null) {
			this.aclPasswords.add(settings.aclPassword());
		}
		this.processes = new PodProcesses(settings.binary(), this.directory,
				new RedisConfigFile(settings, this.tls, () -> this.aclPasswords), this.admin);
		this.services = new ClusterServices(this.names, this.pods, settings.readinessDelay(), settings.dnsTtl(),
				this.network::nextAddress);
		this.health = new ClusterHealth(this.name, settings.healTimeout(), this.pods, this.admin);
		this.topology = new ClusterTopology(this.pods, this.admin);
		this.membership = new ClusterMembership(settings, this.pods, this.admin, this.processes, this.services);
		this.cuts = new NetworkCuts(this.name, settings, this.admin);
		this.writeHold = new WriteHold(this.admin, this.topology);
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
		return this.settings.binary();
	}

	/**
	 * The port every pod listens on, as in Kubernetes where pods share one container port.
	 * @return the client port
	 */
	public int port() {
		return this.settings.port();
	}

	/**
	 * The name of the headless service: resolves to the address of every ready pod, in pod order.
	 * @return the service name
	 */
	public String serviceName() {
		return this.names.service();
	}

	/**
	 * The name of the ClusterIP service, which resolves to one virtual address once
	 * {@link #startClusterIpService()} has started it.
	 * @return the ClusterIP service name
	 */
	public String clusterIpServiceName() {
		return this.names.clusterIpService();
	}

	/**
	 * Starts a ClusterIP service in front of the pods, as Kubernetes gives a non-headless Service:
	 * each new connection to its address reaches a random ready pod (a frozen pod stays ready).
	 * Idempotent; closed with the cluster.
	 * @return the service
	 */
	public synchronized ClusterIpService startClusterIpService() {
		return this.services.startClusterIpService();
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
		return this.services.readyPods()
			.stream()
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
		return this.names.podIpDomain();
	}

	/**
	 * The name under {@link #podIpDomain()} of the given pod's current IP.
	 * @param pod the pod
	 * @return e.g. {@code 127-0-5-9.kit-1a2b.pod}
	 */
	public String podIpName(RedisPod pod) {
		return this.names.podIpName(pod);
	}

	/**
	 * Whether the pods speak TLS only (see {@link Builder#tls()}).
	 * @return {@code true} for a TLS cluster
	 */
	public boolean isTls() {
		return this.tls.isEnabled();
	}

	/**
	 * The certificate of the CA that signed the pods' certificate, what clients trust.
	 * @return a PEM file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsCaCertificate() {
		return this.tls.require().caCertificate();
	}

	/**
	 * The DNS names the pods' certificate is valid for; no IP address is among them.
	 * @return the names, wildcards included
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public List<String> tlsCertificateNames() {
		return this.tls.require().names();
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
		return this.tls.sslBundleProperties(bundleName, this.settings.requireClientCertificates());
	}

	KitTls tlsMaterial() {
		return this.tls.require();
	}

	/**
	 * A client certificate the cluster's CA signed, for clusters that
	 * {@link Builder#requireClientCertificates() require one}.
	 * @return a PEM file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsClientCertificate() {
		return this.tls.require().clientCertificate();
	}

	/**
	 * The private key of {@link #tlsClientCertificate()}, unencrypted: test material only.
	 * @return a PEM (PKCS#8) file in the cluster's work directory, deleted on close
	 * @throws IllegalStateException if the cluster does not use TLS
	 */
	public Path tlsClientKey() {
		return this.tls.require().clientKey();
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
		return this.services.dnsServer();
	}

	/**
	 * The TTL of the records of the {@link #dnsServer() DNS server}.
	 * @return the TTL, whole seconds
	 */
	public Duration dnsTtl() {
		return this.settings.dnsTtl();
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
		return this.pods.all();
	}

	/**
	 * The running pods whose nodes were masters when the cluster was last healthy.
	 * @return the masters
	 */
	public synchronized List<RedisPod> masters() {
		return this.pods.runningWithRole(Role.MASTER);
	}

	/**
	 * The running pods whose nodes were replicas when the cluster was last healthy.
	 * @return the replicas
	 */
	public synchronized List<RedisPod> replicas() {
		return this.pods.runningWithRole(Role.REPLICA);
	}

	/**
	 * The pod with the given ordinal.
	 * @param ordinal the ordinal
	 * @return the pod
	 */
	public synchronized RedisPod pod(int ordinal) {
		return this.pods.withOrdinal(ordinal);
	}

	/**
	 * The master pod that serves a slot now, as a running node sees it.
	 * @param slot the hash slot
	 * @return the pod
	 */
	public synchronized RedisPod masterOf(int slot) {
		return this.topology.masterOf(slot);
	}

	/**
	 * Starts the pods, forms the cluster and waits until it is healthy.
	 */
	private void start() {
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		int masters = this.settings.masters();
		int total = masters * (1 + this.settings.replicasPerMaster());
		for (int ordinal = 0; ordinal < total; ordinal++) {
			this.pods.add(this.pods.create((ordinal < masters) ? Role.MASTER : Role.REPLICA));
		}
		try {
			CertificateNames certificateNames = this.settings.certificateNames();
			if (certificateNames != null) {
				this.tls.generate(this.directory, this.names.certificateNames(certificateNames, this.pods.all()));
			}
			this.membership.form();
			this.health.awaitHealthy();
			logger.info("Redis Cluster {} ready: {} masters, {} replicas each, redis-server {}{}; seeds {}", this.name,
					masters, this.settings.replicasPerMaster(), binary().version(), isTls() ? ", TLS" : "", seedNodes());
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new UncheckedIOException("Could not start Redis Cluster " + this.name, (IOException) ex);
		}
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
		List<RedisPod> moving = this.pods.running();
		moving.parallelStream().forEach(this.processes::stop);
		logger.debug("Stopped {} pods in {} ms", moving.size(), Duration.between(started, Instant.now()).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		for (RedisPod pod : moving) {
			changes.add(this.network.relocate(pod, oldAddresses));
		}
		moving.forEach(this.processes::start);
		this.membership.publishAndMeet();
		logger.debug("Restarted and introduced {} pods {} ms after the move began", moving.size(),
				Duration.between(started, Instant.now()).toMillis());
		return new ChaosReport("move-all-pods", started, this.health.awaitHealthy(), changes).logged();
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
		List<RedisPod> order = this.pods.running()
			.stream()
			.sorted(Comparator.comparingInt(RedisPod::ordinal).reversed())
			.toList();
		for (RedisPod pod : order) {
			ChaosReport step = movePod(pod, oldAddresses);
			changes.addAll(step.addressChanges());
			healed = step.healed();
		}
		return new ChaosReport("rolling-move", started, healed, changes).logged();
	}

	/**
	 * Reschedules one pod to a new IP.
	 * @param pod the pod
	 * @param oldAddresses what becomes of its old address
	 * @return when the cluster was healthy again
	 */
	public synchronized ChaosReport movePod(RedisPod pod, OldAddresses oldAddresses) {
		Instant started = Instant.now();
		this.processes.stop(pod);
		AddressChange change = this.network.relocate(pod, oldAddresses);
		this.processes.start(pod);
		this.membership.publishAndMeet();
		return new ChaosReport("move-pod " + pod.name(), started, this.health.awaitHealthy(), List.of(change)).logged();
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
		Pods.requireRole(master, Role.MASTER);
		this.writeHold.untilReplicated(master);
		Instant started = Instant.now();
		this.processes.kill(master);
		this.services.publish();
		return new ChaosReport("kill-master " + master.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

	/**
	 * Stops a pod (SIGTERM) and returns at once, without waiting for the cluster to heal: stopping a
	 * master and all its replicas leaves slots uncovered until {@link #restart(RedisPod)}.
	 * @param pod a running pod
	 */
	public synchronized void stop(RedisPod pod) {
		this.processes.stop(pod);
		this.services.publish();
	}

	/**
	 * The running pods whose nodes replicate the given master now.
	 * @param master a master pod
	 * @return its replicas
	 */
	public synchronized List<RedisPod> replicasOf(RedisPod master) {
		return this.topology.replicasOf(master);
	}

	/**
	 * Starts a pod again on the address it had, as Kubernetes restarts a container in place; a
	 * running pod is stopped first.
	 * @param pod the pod
	 * @return when the cluster was healthy again with the pod in it
	 */
	public synchronized ChaosReport restart(RedisPod pod) {
		Instant started = Instant.now();
		this.processes.stop(pod);
		this.processes.start(pod);
		this.membership.publishAndMeet();
		return new ChaosReport("restart " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
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
		PodProcesses.signal(pod, "STOP");
		pod.paused(true);
		this.services.republishAfterReadinessDelay();
	}

	/**
	 * Freezes a master and waits, while it is still frozen, until its replica is promoted. Every
	 * write the master answered is on its replicas before it freezes, as with
	 * {@link #killMaster(RedisPod)}.
	 * @param master a running master pod
	 * @return when the rest of the cluster was healthy without it
	 */
	public synchronized ChaosReport pauseUntilFailover(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		this.writeHold.untilReplicated(master);
		Instant started = Instant.now();
		pause(master);
		return new ChaosReport("pause-master " + master.name(), started, this.health.awaitHealthy(), List.of()).logged();
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
		PodProcesses.signal(pod, "CONT");
		pod.paused(false);
		this.services.publish();
		return new ChaosReport("resume " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

	/**
	 * Opens a black hole at a loopback address; closed with the cluster at the latest.
	 * @param address the address
	 * @return the black hole, to close early
	 */
	public synchronized BlackHole blackHole(InetSocketAddress address) {
		return this.network.blackHole(address);
	}

	/**
	 * Releases the old addresses that moves left hanging ({@link OldAddresses#BLACK_HOLE}): from
	 * now on they refuse connections, as an IP that no pod holds any more does once the network
	 * has forgotten it. A long run that moves pods again and again calls it once its clients have
	 * recovered, so that the sockets holding the black holes open do not pile up in the JVM.
	 * @return how many addresses (client and cluster bus ports) were released
	 */
	public synchronized int releaseOldAddresses() {
		return this.network.releaseOldAddresses();
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
		return this.cuts.partition(pod);
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
		return this.cuts.cutClusterBus(pod);
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
		return this.cuts.cutRepliesToClients(pod);
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
				this.writeHold.untilReplicated(pod);
			}
		}
		Instant started = Instant.now();
		pods.forEach(this::partition);
		Instant promoted = this.health.awaitHealthy();
		logger.debug("{} failed over {} ms after the cut", pods, Duration.between(started, promoted).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		Set<String> cutOff = pods.stream().map((pod) -> pod.address().getAddress().getHostAddress()).collect(Collectors.toSet());
		for (RedisPod pod : pods) {
			this.processes.kill(pod);
			// Nothing listens at the old address any more, and its iptables rules stay: it hangs.
			changes.add(this.network.relocate(pod, OldAddresses.REFUSE));
		}
		pods.forEach(this.processes::start);
		this.membership.publishAndMeet();
		NodeLoss loss = new NodeLoss(started, promoted, this.health.awaitHealthy(), pods, changes);
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
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
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
		new ChaosReport("add-master " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
		return pod;
	}

	/**
	 * Adds a replica pod to a master: started empty, introduced with {@code CLUSTER MEET}, then
	 * {@code CLUSTER REPLICATE}; returns once it has synced.
	 * @param master a running master pod
	 * @return the new pod
	 */
	public synchronized RedisPod addReplica(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		Instant started = Instant.now();
		RedisPod pod = newPod(Role.REPLICA);
		try {
			this.admin.callOn(pod, "CLUSTER", "REPLICATE", master.nodeId());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not make " + pod + " a replica of " + master, ex);
		}
		new ChaosReport("add-replica " + pod.name() + " of " + master.name(), started, this.health.awaitHealthy(),
				List.of())
			.logged();
		return pod;
	}

	/**
	 * The slots a master serves now, as it sees them.
	 * @param master a running master pod
	 * @return the slots, ascending
	 */
	public synchronized List<Integer> slotsOf(RedisPod master) {
		return this.topology.slotsOf(master);
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
		Pods.requireRole(target, Role.MASTER);
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
		return new ChaosReport("migrate " + count + " slots (" + keys + " keys) to " + target.name(), started,
				this.health.awaitSlotsAgreed(), List.of())
			.logged();
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
		Pods.requireRole(master, Role.MASTER);
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
		try (SlotMigration migration = newMigration()) {
			plan.forEach((target, share) -> migration.move(master, target, share));
			keys = migration.keysMoved();
		}
		this.health.awaitSlotsAgreed();
		RedisPod heir = others.get(others.size() - 1);
		for (RedisPod replica : replicas) {
			try {
				this.admin.callOn(replica, "CLUSTER", "REPLICATE", heir.nodeId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not move " + replica + " to " + heir, ex);
			}
		}
		this.membership.forget(master);
		return new ChaosReport("remove-master " + master.name() + " (" + slots.size() + " slots, " + keys
				+ " keys moved)", started, this.health.awaitHealthy(), List.of())
			.logged();
	}

	/**
	 * Scales in a replica: every other node {@code CLUSTER FORGET}s it, then the pod stops and its
	 * names are withdrawn.
	 * @param replica a running replica pod
	 * @return when the cluster was healthy without it
	 */
	public synchronized ChaosReport removeReplica(RedisPod replica) {
		Pods.requireRole(replica, Role.REPLICA);
		Instant started = Instant.now();
		this.membership.forget(replica);
		return new ChaosReport("remove-replica " + replica.name(), started, this.health.awaitHealthy(), List.of())
			.logged();
	}

	private RedisPod newPod(Role role) {
		if (isTls()) {
			throw new IllegalStateException("Scaling a TLS cluster is not supported: its certificate names only the pods it was made for");
		}
		RedisPod pod = this.pods.create(role);
		try {
			Files.createDirectories(pod.dataDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the data directory of " + pod, ex);
		}
		this.pods.add(pod);
		this.processes.start(pod);
		this.membership.join(pod);
		return pod;
	}

	private int migrate(Map<RedisPod, List<Integer>> plan, RedisPod target, Duration batchPause) {
		try (SlotMigration migration = newMigration()) {
			migration.batchPause(batchPause);
			plan.forEach((source, slots) -> migration.move(source, target, slots));
			return migration.keysMoved();
		}
	}

	/** Over administration connections with a timeout long enough for {@code MIGRATE}. */
	private SlotMigration newMigration() {
		return new SlotMigration((pod) -> this.admin.connect(pod, SlotMigration.TIMEOUT), masters(), this.settings.password());
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
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				// SKIPME yes (the default) keeps the kit's own connection.
				Object killed = connection.call("CLIENT", "KILL", "TYPE", "normal");
				closed += (killed instanceof Long count) ? count : 0;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not close the client connections of " + pod, ex);
			}
		}
		logger.info("Closed {} client connection(s) on {} pods", closed, this.pods.up().size());
		return closed;
	}

	private void requireAclUser(String username) {
		if (!username.equals(this.settings.aclUsername())) {
			throw new IllegalArgumentException("The cluster has no ACL user '" + username + "' (see Builder#aclUser)");
		}
	}

	/** Never logs the command: it may hold a secret. */
	private void callOnEveryPod(String... command) {
		for (RedisPod pod : this.pods.up()) {
			try {
				this.admin.callOn(pod, command);
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
		return this.health.awaitHealthy();
	}

	/**
	 * Whether every running node reports the cluster healthy now.
	 * @return {@code true} if healthy
	 */
	public synchronized boolean isHealthy() {
		return this.health.isHealthy();
	}

	RespConnection connect(RedisPod pod) throws IOException {
		return this.admin.connect(pod);
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
		this.processes.killAll(this.pods.all());
		this.network.close();
		this.cuts.close();
		this.services.close();
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

		static String requireConfigToken(String what, String value) {
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
			LocalRedisCluster cluster = new LocalRedisCluster(this.name, this.workDirectory, settings());
			cluster.start();
			return cluster;
		}

		private ClusterSettings settings() {
			return new ClusterSettings(this.masters, this.replicasPerMaster, this.port, this.nodeTimeout,
					this.healTimeout, this.readinessDelay, this.dnsTtl, this.announceHostnames,
					this.preferredEndpointType.configValue, Collections.unmodifiableMap(new LinkedHashMap<>(this.extraConfig)),
					this.password, this.aclUsername, this.aclPassword, this.certificateNames,
					this.requireClientCertificates, this.binary);
		}

	}

}
