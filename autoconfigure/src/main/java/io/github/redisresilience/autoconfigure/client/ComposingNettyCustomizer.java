package io.github.redisresilience.autoconfigure.client;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

/**
 * Adds the starter's {@link NettyCustomizer} to the client resources Spring Boot builds without
 * dropping one an application's customizer set: {@link ClientResources.Builder} holds a single
 * Netty customizer, and setting it replaces the previous one silently. This customizer runs after
 * the others (lowest precedence; among equals, auto-configured beans come after the
 * application's), reads the one set so far and sets both, the application's first.
 * <p>
 * The builder has no getter: the value is read from {@link DefaultClientResources.Builder}'s
 * field (the builder Spring Boot uses), with a runtime hint for native images
 * ({@code RedisResilienceRuntimeHints}). Should the field not be there, ours replaces it, with a
 * warning.
 */
final class ComposingNettyCustomizer implements ClientResourcesBuilderCustomizer, Ordered {

	private static final Log logger = LogFactory.getLog(ComposingNettyCustomizer.class);

	static final String FIELD_NAME = "nettyCustomizer";

	private static final @Nullable Field FIELD = ReflectionUtils.findField(DefaultClientResources.Builder.class,
			FIELD_NAME, NettyCustomizer.class);

	private final NettyCustomizer ours;

	ComposingNettyCustomizer(NettyCustomizer ours) {
		this.ours = ours;
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		NettyCustomizer existing = current(builder);
		if (existing == null || existing == DefaultClientResources.DEFAULT_NETTY_CUSTOMIZER) {
			builder.nettyCustomizer(this.ours);
			return;
		}
		builder.nettyCustomizer(Composite.of(existing, this.ours));
	}

	private static @Nullable NettyCustomizer current(ClientResources.Builder builder) {
		if (FIELD == null || !(builder instanceof DefaultClientResources.Builder)) {
			logger.warn("Cannot read the Netty customizer set on " + builder.getClass().getName()
					+ ": the redis-cluster-resilience starter's replaces any set before it");
			return null;
		}
		ReflectionUtils.makeAccessible(FIELD);
		return (NettyCustomizer) ReflectionUtils.getField(FIELD, builder);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Netty customizers applied one after the other, in order.
	 *
	 * @param customizers the customizers
	 */
	record Composite(List<NettyCustomizer> customizers) implements NettyCustomizer {

		static Composite of(NettyCustomizer first, NettyCustomizer second) {
			List<NettyCustomizer> all = new ArrayList<>();
			for (NettyCustomizer customizer : List.of(first, second)) {
				if (customizer instanceof Composite composite) {
					all.addAll(composite.customizers());
				}
				else {
					all.add(customizer);
				}
			}
			return new Composite(List.copyOf(all));
		}

		@Override
		public void afterBootstrapInitialized(Bootstrap bootstrap) {
			this.customizers.forEach((customizer) -> customizer.afterBootstrapInitialized(bootstrap));
		}

		@Override
		public void afterChannelInitialized(Channel channel) {
			this.customizers.forEach((customizer) -> customizer.afterChannelInitialized(channel));
		}

	}

}
