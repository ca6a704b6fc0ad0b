package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

	// The classes below take no lock of their own: the public methods that touch the pods hold this
	// cluster's lock while they run, so that no two operations interleave (ClusterServices says what
	// runs without it).
	private final ClusterNames names;

	private final ClusterTls tls;

	private final AdminConnections admin;

	private final ClusterNetwork network;

	private final Pods pods;

	private final AclPasswords aclPasswords;

	private final PodProcesses processes;

	private final ClusterServices services;

	private final ClusterHealth health;

	private final ClusterTopology topology;

	private final ClusterMembership membership;

	private final NetworkCuts cuts;

	private final NodeConnections connections;

	private final PodMoves moves;

	private final ProcessDisruptions disruptions;

	private final NodeLosses nodeLosses;

	private final ClusterScaling scaling;

	private final ClusterFlush flush;

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
		this.aclPasswords = new AclPasswords(settings.aclUsername(), settings.aclPassword(), this.pods, this.admin);
		this.processes = new PodProcesses(settings.binary(), this.directory,
				new RedisConfigFile(settings, this.tls, this.aclPasswords::current), this.admin);
		this.services = new ClusterServices(this.names, this.pods, settings.readinessDelay(), settings.dnsTtl(),
				this.network::nextAddress);
		this.health = new ClusterHealth(this.name, settings.healTimeout(), this.pods, this.admin);
		this.topology = new ClusterTopology(this.pods, this.admin);
		this.membership = new ClusterMembership(settings, this.pods, this.admin, this.processes, this.services);
		this.cuts = new NetworkCuts(this.name, settings, this.admin);
		this.connections = new NodeConnections(this.pods, this.admin);
		WriteHold writeHold = new WriteHold(this.admin, this.topology);
		this.moves = new PodMoves(this.pods, this.processes, this.network, this.membership, this.health);
		this.disruptions = new ProcessDisruptions(this.processes, this.services, this.membership, this.health,
				writeHold);
		this.nodeLosses = new NodeLosses(this.pods, this.topology, this.processes, this.network, this.cuts,
				this.membership, this.health, writeHold, this.connections);
		this.scaling = new ClusterScaling(this.pods, this.tls, this.admin, this.processes, this.membership,
				this.topology, this.health, settings.password());
		this.flush = new ClusterFlush(this.pods, this.admin, this.topology, this.processes, this.health);
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
	 * Deletes every key, waits until the replicas have deleted them too, and has every node rewrite
	 * its append-only file, so that a restart loads nothing: for runs that share a cluster and must
	 * not depend on what ran before it. A cluster whose data only grows heals more slowly after
	 * every restart or move (each node started again loads its whole append-only file, each replica
	 * copies the whole data set). Waits for a healthy cluster first.
	 */
	public synchronized void flushAll() {
		this.flush.flush();
	}

	/**
	 * Reschedules every pod to a new IP at once, as when a whole node pool is replaced: each pod is
	 * stopped, started again on a new address with the same data and node ID, and the cluster is
	 * healed with {@code CLUSTER MEET} between the new addresses.
	 * @param oldAddresses what becomes of the addresses the pods had
	 * @return when the cluster was healthy again and which addresses changed
	 */
	public synchronized ChaosReport moveAllPods(OldAddresses oldAddresses) {
		return this.moves.moveAll(oldAddresses);
	}

	/**
	 * Reschedules the pods one at a time, highest ordinal first as a StatefulSet rolling update
	 * does, waiting for a healthy cluster after each.
	 * @param oldAddresses what becomes of the addresses the pods had
	 * @return from the first stop to the last heal, with every address change
	 */
	public synchronized ChaosReport rollingMove(OldAddresses oldAddresses) {
		return this.moves.rolling(oldAddresses);
	}

	/**
	 * Reschedules one pod to a new IP.
	 * @param pod the pod
	 * @param oldAddresses what becomes of its old address
	 * @return when the cluster was healthy again
	 */
	public synchronized ChaosReport movePod(RedisPod pod, OldAddresses oldAddresses) {
		return this.moves.move(pod, oldAddresses);
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
		return this.disruptions.killMaster(master);
	}

	/**
	 * Stops a pod (SIGTERM) and returns at once, without waiting for the cluster to heal: stopping a
	 * master and all its replicas leaves slots uncovered until {@link #restart(RedisPod)}.
	 * @param pod a running pod
	 */
	public synchronized void stop(RedisPod pod) {
		this.disruptions.stop(pod);
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
		return this.disruptions.restart(pod);
	}

	/**
	 * Freezes a pod's process with SIGSTOP, as a long GC pause or a throttled container does: its
	 * connections stay open, the kernel still accepts new ones, nothing answers. The pod stays in
	 * DNS and behind the ClusterIP service, as a frozen pod stays behind its Service until its
	 * readiness probe fails: for the builder's readiness delay, or while it is frozen by default.
	 * @param pod a running pod
	 */
	public synchronized void pause(RedisPod pod) {
		this.disruptions.pause(pod);
	}

	/**
	 * Freezes a master and waits, while it is still frozen, until its replica is promoted. Every
	 * write the master answered is on its replicas before it freezes, as with
	 * {@link #killMaster(RedisPod)}.
	 * @param master a running master pod
	 * @return when the rest of the cluster was healthy without it
	 */
	public synchronized ChaosReport pauseUntilFailover(RedisPod master) {
		return this.disruptions.pauseUntilFailover(master);
	}

	/**
	 * Resumes a paused pod with SIGCONT and waits until the cluster is healthy with it.
	 * @param pod a paused pod
	 * @return when the cluster was healthy again
	 */
	public synchronized ChaosReport resume(RedisPod pod) {
		return this.disruptions.resume(pod);
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
		return this.nodeLosses.podsOfOneNode();
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
		return this.nodeLosses.lose(pods);
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
		return this.scaling.addMaster();
	}

	/**
	 * Adds a replica pod to a master: started empty, introduced with {@code CLUSTER MEET}, then
	 * {@code CLUSTER REPLICATE}; returns once it has synced.
	 * @param master a running master pod
	 * @return the new pod
	 */
	public synchronized RedisPod addReplica(RedisPod master) {
		return this.scaling.addReplica(master);
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
		return this.scaling.migrateSlots(target, count, batchPause);
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
		return this.scaling.removeMaster(master);
	}

	/**
	 * Scales in a replica: every other node {@code CLUSTER FORGET}s it, then the pod stops and its
	 * names are withdrawn.
	 * @param replica a running replica pod
	 * @return when the cluster was healthy without it
	 */
	public synchronized ChaosReport removeReplica(RedisPod replica) {
		return this.scaling.removeReplica(replica);
	}

	/**
	 * Adds a password to an ACL user on every running node ({@code ACL SETUSER <user> ><password>}),
	 * the first step of a rotation: both the old and the new password are valid until
	 * {@link #removeAclPassword(String, String)}. Pods started later get it too.
	 * @param username the user, as given to {@link Builder#aclUser(String, String)}
	 * @param password the new password, same characters as {@link Builder#password(String)}
	 */
	public synchronized void addAclPassword(String username, String password) {
		this.aclPasswords.add(username, password);
	}

	/**
	 * Removes a password from an ACL user on every running node ({@code ACL SETUSER <user> <<password>}),
	 * the last step of a rotation. Connections that authenticated with it stay open, as Redis
	 * keeps them: {@link #closeClientConnections()} makes clients authenticate again.
	 * @param username the user, as given to {@link Builder#aclUser(String, String)}
	 * @param password the password to remove
	 */
	public synchronized void removeAclPassword(String username, String password) {
		this.aclPasswords.remove(username, password);
	}

	/**
	 * Closes every client connection on every running node ({@code CLIENT KILL TYPE normal}), as a
	 * rolling restart of the pods or an operator does to make clients reconnect and authenticate
	 * again; replication and cluster bus links stay up.
	 * @return how many connections were closed
	 */
	public synchronized long closeClientConnections() {
		return this.connections.closeClients();
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
