package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's iptables chain, jumped to from {@code INPUT} and {@code OUTPUT}, that drops the TCP
 * traffic of the loopback IPs it is told to cut off (client and cluster bus ports alike).
 * <p>
 * The chain is named after the owning JVM's PID ({@code RKIT-<pid>-<cluster hash>}): a JVM killed
 * before its shutdown hooks run leaves its chain behind, and the next chain opened on the machine
 * removes every kit chain whose owner is gone, as {@link KitWorkspace} reaps processes. Needs
 * root and the {@code iptables} binary; {@link #unavailableReason()} says why not.
 */
final class IptablesChain implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(IptablesChain.class);

	private static final Pattern KIT_CHAIN = Pattern.compile("^-N (RKIT-(\\d+)-[0-9a-f]+)$", Pattern.MULTILINE);

	/** Bounds every loop that deletes jumps: a chain is jumped to once per built-in chain. */
	private static final int MAX_JUMPS = 16;

	private static final String[] BUILT_IN = { "INPUT", "OUTPUT" };

	private final String name;

	/** The rules added for each address cut off, without the chain name: what {@link #restore} deletes. */
	private final Map<InetAddress, List<List<String>>> dropped = new LinkedHashMap<>();

	private boolean closed;

	private IptablesChain(String name) {
		this.name = name;
	}

	/**
	 * Why the kit cannot cut addresses off here, if it cannot.
	 * @return the reason, empty when iptables works
	 */
	static Optional<String> unavailableReason() {
		if (!"Linux".equals(System.getProperty("os.name"))) {
			return Optional.of("iptables needs Linux; this is " + System.getProperty("os.name"));
		}
		try {
			Result result = run("-S", "OUTPUT");
			if (result.exitCode() != 0) {
				return Optional.of("'iptables -S OUTPUT' failed (exit " + result.exitCode() + "): " + result.output().strip()
						+ ". Node-loss chaos needs root and the iptables package (apt-get install -y iptables)");
			}
			return Optional.empty();
		}
		catch (UncheckedIOException ex) {
			return Optional.of("iptables is not installed or not on the PATH (" + ex.getCause().getMessage()
					+ "). Node-loss chaos needs root and the iptables package (apt-get install -y iptables)");
		}
	}

	/**
	 * Creates the chain for a cluster, after removing the chains of JVMs that are gone.
	 * @param clusterName the cluster's name
	 * @return the empty chain, jumped to from INPUT and OUTPUT
	 */
	static IptablesChain open(String clusterName) {
		reapOrphans();
		String hash = HexFormat.of().toHexDigits(clusterName.hashCode());
		IptablesChain chain = new IptablesChain("RKIT-" + ProcessHandle.current().pid() + "-" + hash);
		chain.check("-N", chain.name);
		for (String builtIn : BUILT_IN) {
			chain.check("-I", builtIn, "-j", chain.name);
		}
		logger.debug("Created iptables chain {}", chain.name);
		return chain;
	}

	String name() {
		return this.name;
	}

	/**
	 * Drops every TCP packet from or to an address until {@link #restore(InetAddress)}.
	 * @param address a loopback address
	 */
	synchronized void drop(InetAddress address) {
		String ip = address.getHostAddress();
		add(address, List.of(List.of("-d", ip), List.of("-s", ip)));
	}

	/**
	 * Drops an address's cluster bus traffic, its links to its peers and theirs to it, until
	 * {@link #restore(InetAddress)}; its client port stays reachable.
	 * @param address a loopback address
	 * @param busPort the cluster bus port every pod listens on
	 */
	synchronized void dropClusterBus(InetAddress address, int busPort) {
		String ip = address.getHostAddress();
		String port = Integer.toString(busPort);
		add(address, List.of(List.of("-d", ip, "--dport", port), List.of("-s", ip, "--sport", port),
				List.of("-s", ip, "--dport", port), List.of("-d", ip, "--sport", port)));
	}

	/**
	 * Drops what an address sends from its client port to clients on 127.0.0.1 (the application's
	 * and the kit's own connections), until {@link #restore(InetAddress)}: commands still arrive
	 * and run, their replies do not; the cluster bus and replication, between pod addresses, are
	 * untouched.
	 * @param address a loopback address
	 * @param port the client port every pod listens on
	 */
	synchronized void dropReplies(InetAddress address, int port) {
		String ip = address.getHostAddress();
		add(address, List.of(List.of("-s", ip, "--sport", Integer.toString(port), "-d", "127.0.0.1")));
	}

	private void add(InetAddress address, List<List<String>> matches) {
		requireLoopback(address);
		if (this.dropped.containsKey(address)) {
			throw new IllegalStateException(address.getHostAddress() + " is already cut off");
		}
		List<List<String>> added = new ArrayList<>();
		try {
			for (List<String> match : matches) {
				check(rule("-A", match));
				added.add(match);
			}
		}
		catch (RuntimeException ex) {
			// A cut half made is no cut: take back the rules already added.
			added.forEach((match) -> run(rule("-D", match)));
			throw ex;
		}
		this.dropped.put(address, added);
	}

	/**
	 * Removes the rules {@link #drop(InetAddress)}, {@link #dropClusterBus(InetAddress, int)} or
	 * {@link #dropReplies(InetAddress, int)} added for an address; each rule on its own, so one
	 * failure leaves no other behind.
	 * @param address the address
	 */
	synchronized void restore(InetAddress address) {
		List<List<String>> added = this.dropped.remove(address);
		if (added == null || this.closed) {
			return;
		}
		List<String> failures = new ArrayList<>();
		for (List<String> match : added) {
			Result result = run(rule("-D", match));
			if (result.exitCode() != 0) {
				failures.add(String.join(" ", match) + ": " + result.output().strip());
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("Could not remove iptables rules of " + this.name + " " + failures);
		}
	}

	private String[] rule(String action, List<String> match) {
		List<String> rule = new ArrayList<>(List.of(action, this.name, "-p", "tcp"));
		rule.addAll(match);
		rule.addAll(List.of("-j", "DROP"));
		return rule.toArray(String[]::new);
	}

	/** Removes the jumps, the rules and the chain; each step on its own, so one failure leaves no other behind. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.dropped.clear();
		remove(this.name);
	}

	private static void reapOrphans() {
		Result rules = run("-S");
		if (rules.exitCode() != 0) {
			return;
		}
		Matcher matcher = KIT_CHAIN.matcher(rules.output());
		while (matcher.find()) {
			long owner = Long.parseLong(matcher.group(2));
			if (!ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
				logger.info("Removing iptables chain {} left behind by a JVM that is gone", matcher.group(1));
				remove(matcher.group(1));
			}
		}
	}

	private static void remove(String chain) {
		for (String builtIn : BUILT_IN) {
			for (int i = 0; i < MAX_JUMPS && run("-D", builtIn, "-j", chain).exitCode() == 0; i++) {
				logger.debug("Removed a jump from {} to {}", builtIn, chain);
			}
		}
		Result flushed = run("-F", chain);
		Result deleted = run("-X", chain);
		if (flushed.exitCode() != 0 || deleted.exitCode() != 0) {
			logger.warn("Could not remove iptables chain {}: {}{}", chain, flushed.output().strip(), deleted.output().strip());
		}
	}

	private void check(String... arguments) {
		Result result = run(arguments);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("iptables " + String.join(" ", arguments) + " failed (exit "
					+ result.exitCode() + "): " + result.output().strip());
		}
	}

	private static Result run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out");
			}
			return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", command), ex);
		}
	}

	private static void requireLoopback(InetAddress address) {
		if (!address.isLoopbackAddress() || "127.0.0.1".equals(address.getHostAddress())) {
			throw new IllegalArgumentException("The kit only cuts off its own loopback addresses, not " + address);
		}
	}

	@Override
	public String toString() {
		return "iptables chain " + this.name;
	}

	private record Result(int exitCode, String output) {

	}

}
