package io.github.redisresilience.test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a {@code redis-server} binary.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 */
public record RedisVersion(int major, int minor, int patch) implements Comparable<RedisVersion> {

	private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");

	/**
	 * Reads the version from the output of {@code redis-server --version}.
	 * @param versionOutput the output, e.g. {@code Redis server v=7.0.15 sha=...}
	 * @return the version
	 * @throws IllegalArgumentException if the output holds no version
	 */
	public static RedisVersion parse(String versionOutput) {
		Matcher matcher = VERSION.matcher(versionOutput);
		if (!matcher.find()) {
			throw new IllegalArgumentException("No Redis version in '" + versionOutput.strip() + "'");
		}
		return new RedisVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				Integer.parseInt(matcher.group(3)));
	}

	/**
	 * Whether this version is the given major version or newer.
	 * @param requiredMajor the major version a feature needs
	 * @return {@code true} if this version has it
	 */
	public boolean isAtLeast(int requiredMajor) {
		return this.major >= requiredMajor;
	}

	@Override
	public int compareTo(RedisVersion other) {
		int byMajor = Integer.compare(this.major, other.major);
		if (byMajor != 0) {
			return byMajor;
		}
		int byMinor = Integer.compare(this.minor, other.minor);
		return (byMinor != 0) ? byMinor : Integer.compare(this.patch, other.patch);
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
