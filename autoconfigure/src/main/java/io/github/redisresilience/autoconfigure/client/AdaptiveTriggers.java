package io.github.redisresilience.autoconfigure.client;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;

/**
 * Sets exactly the configured adaptive refresh triggers with Lettuce 6.8 and with Lettuce 7.
 * <p>
 * A refresh options builder starts from {@link ClusterTopologyRefreshOptions#DEFAULT_ADAPTIVE_REFRESH_TRIGGERS}:
 * none in Lettuce 6.8, all of them in Lettuce 7. Lettuce 6.8 can only add triggers
 * ({@code enableAdaptiveRefreshTrigger}, deprecated in 7), Lettuce 7 removes them with
 * {@code disableAdaptiveRefreshTrigger}, which 6.8 lacks. Code compiled against one line
 * has no call that narrows the set on the other, so when the built options do not hold the
 * configured set, they are rebuilt as {@link ConfiguredTriggers}, which answer the
 * configured set. Lettuce reads the triggers through
 * {@link ClusterTopologyRefreshOptions#getAdaptiveRefreshTriggers()} on every event.
 */
final class AdaptiveTriggers {

	private AdaptiveTriggers() {
	}

	/**
	 * Build the refresh options with exactly the given adaptive triggers.
	 * @param builder the builder, with every other option set
	 * @param triggers the triggers to enable, possibly none
	 * @return the refresh options
	 */
	@SuppressWarnings("deprecation") // enableAdaptiveRefreshTrigger: deprecated in Lettuce 7 only
	static ClusterTopologyRefreshOptions apply(ClusterTopologyRefreshOptions.Builder builder,
			Set<RefreshTrigger> triggers) {
		if (!triggers.isEmpty()) {
			builder.enableAdaptiveRefreshTrigger(triggers.toArray(RefreshTrigger[]::new));
		}
		ClusterTopologyRefreshOptions options = builder.build();
		if (options.getAdaptiveRefreshTriggers().equals(triggers)) {
			return options;
		}
		return new ConfiguredTriggers(builder, triggers);
	}

	/**
	 * Refresh options whose adaptive triggers are the configured set rather than the set
	 * the builder started from.
	 */
	static final class ConfiguredTriggers extends ClusterTopologyRefreshOptions {

		private final Set<RefreshTrigger> triggers;

		ConfiguredTriggers(ClusterTopologyRefreshOptions.Builder builder, Set<RefreshTrigger> triggers) {
			super(builder);
			this.triggers = Collections.unmodifiableSet(triggers.isEmpty() ? EnumSet.noneOf(RefreshTrigger.class)
					: EnumSet.copyOf(triggers));
		}

		@Override
		public Set<RefreshTrigger> getAdaptiveRefreshTriggers() {
			return this.triggers;
		}

	}

}
