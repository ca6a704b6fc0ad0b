package io.github.redisresilience.autoconfigure.dns;

/**
 * Thrown at startup when {@code redis.resilience.dns.servers} lists a name server that
 * cannot be used. It names the exact property, such as
 * {@code redis.resilience.dns.servers[0]}, the bad value, the reason and the fix.
 */
public class InvalidDnsServerException extends IllegalArgumentException {

	private final String property;

	private final String value;

	private final String reason;

	private final String fix;

	/**
	 * Create a new instance.
	 * @param property the full property name
	 * @param value the bad value
	 * @param reason why it cannot be used
	 * @param fix what to change
	 */
	public InvalidDnsServerException(String property, String value, String reason, String fix) {
		super("Invalid value '" + value + "' for '" + property + "': " + reason + ". " + fix);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.fix = fix;
	}

	/**
	 * Return the full name of the property with the bad value.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the bad value.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return why the value cannot be used.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what to change.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}
