package io.github.redisresilience.autoconfigure.settings;

/**
 * Thrown at startup when a {@code redis.resilience.*} property holds a value that cannot
 * work: out of range, a remap rule or proxy endpoint that cannot be parsed, a name server
 * that cannot be used. It carries the full property name (such as
 * {@code redis.resilience.remap.rules[0].from}), the bad value, the reason and the fix, which
 * {@code InvalidResilienceSettingFailureAnalyzer} turns into a failure report.
 */
public class InvalidResilienceSettingException extends IllegalArgumentException {

	private final String property;

	private final String value;

	private final String reason;

	private final String fix;

	/**
	 * Create a new instance.
	 * @param property the full property name, such as {@code redis.resilience.reconnect.max}
	 * @param value the bound value, rendered as text
	 * @param reason why the value cannot work
	 * @param fix what to change
	 */
	public InvalidResilienceSettingException(String property, Object value, String reason, String fix) {
		super("Invalid value '" + value + "' for '" + property + "': " + reason + ". " + fix);
		this.property = property;
		this.value = String.valueOf(value);
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
	 * Return the bad value as text.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return why the value cannot work.
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
