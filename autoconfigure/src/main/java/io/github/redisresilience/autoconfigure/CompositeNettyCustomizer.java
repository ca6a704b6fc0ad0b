package io.github.redisresilience.autoconfigure;

import java.util.List;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;

/**
 * Applies several {@link NettyCustomizer}s in order, since Lettuce's client resources take one.
 *
 * @param customizers the customizers, applied in this order
 */
record CompositeNettyCustomizer(List<NettyCustomizer> customizers) implements NettyCustomizer {

	@Override
	public void afterBootstrapInitialized(Bootstrap bootstrap) {
		this.customizers.forEach((customizer) -> customizer.afterBootstrapInitialized(bootstrap));
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		this.customizers.forEach((customizer) -> customizer.afterChannelInitialized(channel));
	}

}
