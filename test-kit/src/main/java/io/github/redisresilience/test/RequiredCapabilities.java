package io.github.redisresilience.test;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.opentest4j.TestAbortedException;

/**
 * Which capabilities a run must have: with {@code -Dredis.require=7,tls,iptables,browser,valkey}
 * (or the {@code REDIS_REQUIRE} environment variable), a test that would be skipped for lack of
 * one of them fails instead, with the reason, so that a CI machine missing a package cannot turn
 * a whole category of tests green by skipping it.
 * <p>
 * The names: a number is the lowest major server version (e.g. {@code 7} for announced host
 * names), {@code tls} a server built with TLS and {@code openssl}, {@code iptables} usable
 * iptables, {@code browser} Chromium and Node.js for the sample's browser test, {@code valkey}
 * the kit's server being Valkey, {@code redis} it being Redis.
 */
public final class RequiredCapabilities {

	/** System property listing the required capabilities, comma-separated. */
	public static final String PROPERTY = "redis.require";

	/** Environment variable listing the required capabilities, used when the property is unset. */
	public static final String ENVIRONMENT_VARIABLE = "REDIS_REQUIRE";

	private RequiredCapabilities() {
	}

	/**
	 * The capabilities this run requires.
	 * @return lower-case names, in the order given
	 */
	public static Set<String> required() {
		return parse(configured());
	}

	static Set<String> parse(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Set.of();
		}
		return Arrays.stream(value.split(","))
			.map((name) -> name.strip().toLowerCase(Locale.ROOT))
			.filter((name) -> !name.isEmpty())
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static @Nullable String configured() {
		String property = System.getProperty(PROPERTY);
		return (property != null && !property.isBlank()) ? property : System.getenv(ENVIRONMENT_VARIABLE);
	}

	/**
	 * Whether a capability is required.
	 * @param capability its name, e.g. {@code tls}
	 * @return {@code true} if a missing capability fails the test
	 */
	public static boolean isRequired(String capability) {
		return required().contains(capability.toLowerCase(Locale.ROOT));
	}

	/**
	 * Skips the running test when a capability is missing, or fails it when the capability is
	 * required; records the outcome for the run's capability line.
	 * @param capability the capability's name
	 * @param available whether this machine has it
	 * @param reason why it is missing, with the fix
	 * @throws TestAbortedException when it is missing and not required
	 * @throws IllegalStateException when it is missing and required
	 */
	public static void assumeOrFail(String capability, boolean available, Supplier<String> reason) {
		CapabilityReport.record(capability, available);
		check(capability, available, reason);
	}

	static void check(String capability, boolean available, Supplier<String> reason) {
		if (available) {
			return;
		}
		if (isRequired(capability)) {
			throw new IllegalStateException(requiredMessage(capability, reason.get()));
		}
		throw new TestAbortedException(reason.get());
	}

	/**
	 * The same decision for a JUnit {@code ExecutionCondition}: disabled when missing, an
	 * exception (the test fails) when missing and required.
	 */
	static ConditionEvaluationResult evaluate(String capability, @Nullable String missingReason, String enabledReason) {
		CapabilityReport.record(capability, missingReason == null);
		if (missingReason == null) {
			return ConditionEvaluationResult.enabled(enabledReason);
		}
		if (isRequired(capability)) {
			throw new IllegalStateException(requiredMessage(capability, missingReason));
		}
		return ConditionEvaluationResult.disabled(missingReason);
	}

	private static String requiredMessage(String capability, String reason) {
		return "This run requires '" + capability + "' (" + PROPERTY + "/" + ENVIRONMENT_VARIABLE + "="
				+ String.join(",", required()) + ") but it is missing: " + reason;
	}

	/**
	 * Fails with the fix when the JVM runs without the kit's hosts file, which every test that
	 * resolves pod or service names needs: such a test must not pass by leaving its name
	 * assertions out.
	 * @throws IllegalStateException if names do not resolve in this JVM
	 */
	public static void requireHostsFile() {
		if (!LocalRedisCluster.isDnsEnabled()) {
			throw new IllegalStateException("This test resolves the kit's pod and service names and needs the JVM flag "
					+ "-Djdk.net.hosts.file=<file> (with -Dsun.net.inetaddr.ttl=0); the build's test.jvm.args sets both");
		}
	}

}
