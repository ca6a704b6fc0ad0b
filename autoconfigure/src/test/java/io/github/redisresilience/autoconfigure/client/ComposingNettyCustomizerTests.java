package io.github.redisresilience.autoconfigure.client;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ClientResources.Builder} holds one Netty customizer: the starter's (which closes
 * unanswered connections) and an application's both apply, whichever customizer bean runs first.
 */
class ComposingNettyCustomizerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void applicationCustomizerOrderedFirstAndTheStartersBothApply() {
		RecordingNettyCustomizer application = new RecordingNettyCustomizer();
		this.contextRunner.withBean("applicationNetty", ClientResourcesBuilderCustomizer.class,
				() -> ordered(Ordered.HIGHEST_PRECEDENCE, application))
			.run((context) -> {
				Channel channel = initialize(context.getBean(ClientResources.class));
				assertThat(application.channels).containsExactly(channel);
				assertThat(handlersOf(channel)).anyMatch(ComposingNettyCustomizerTests::isStarters);
			});
	}

	@Test
	void applicationCustomizerOrderedLastAndTheStartersBothApply() {
		RecordingNettyCustomizer application = new RecordingNettyCustomizer();
		this.contextRunner.withBean("applicationNetty", ClientResourcesBuilderCustomizer.class,
				() -> ordered(Ordered.LOWEST_PRECEDENCE, application))
			.run((context) -> {
				Channel channel = initialize(context.getBean(ClientResources.class));
				assertThat(application.channels).containsExactly(channel);
				assertThat(handlersOf(channel)).anyMatch(ComposingNettyCustomizerTests::isStarters);
			});
	}

	@Test
	void unorderedApplicationCustomizerAndTheStartersBothApply() {
		RecordingNettyCustomizer application = new RecordingNettyCustomizer();
		this.contextRunner.withBean("applicationNetty", ClientResourcesBuilderCustomizer.class,
				() -> (builder) -> builder.nettyCustomizer(application))
			.run((context) -> {
				Channel channel = initialize(context.getBean(ClientResources.class));
				assertThat(application.channels).containsExactly(channel);
				assertThat(handlersOf(channel)).anyMatch(ComposingNettyCustomizerTests::isStarters);
			});
	}

	@Test
	void withoutAnApplicationCustomizerTheStartersIsTheOnlyOne() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ClientResources.class).nettyCustomizer())
			.isInstanceOf(UnansweredConnectionCloser.class));
	}

	@Test
	void compositeAppliesEachInOrderAndFlattens() {
		List<String> calls = new ArrayList<>();
		NettyCustomizer a = named("a", calls);
		NettyCustomizer b = named("b", calls);
		NettyCustomizer c = named("c", calls);
		ComposingNettyCustomizer.Composite composite = ComposingNettyCustomizer.Composite
			.of(ComposingNettyCustomizer.Composite.of(a, b), c);
		composite.afterChannelInitialized(new EmbeddedChannel());
		assertThat(composite.customizers()).containsExactly(a, b, c);
		assertThat(calls).containsExactly("a", "b", "c");
	}

	private static NettyCustomizer named(String name, List<String> calls) {
		return new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				calls.add(name);
			}

		};
	}

	private static Channel initialize(ClientResources resources) {
		EmbeddedChannel channel = new EmbeddedChannel();
		resources.nettyCustomizer().afterChannelInitialized(channel);
		return channel;
	}

	private static List<ChannelHandler> handlersOf(Channel channel) {
		List<ChannelHandler> handlers = new ArrayList<>();
		channel.pipeline().forEach((entry) -> handlers.add(entry.getValue()));
		return handlers;
	}

	private static boolean isStarters(ChannelHandler handler) {
		return handler.getClass().getName().startsWith(UnansweredConnectionCloser.class.getName() + "$");
	}

	private static ClientResourcesBuilderCustomizer ordered(int order, NettyCustomizer customizer) {
		return new OrderedCustomizer(order, customizer);
	}

	private record OrderedCustomizer(int order, NettyCustomizer customizer)
			implements ClientResourcesBuilderCustomizer, Ordered {

		@Override
		public void customize(ClientResources.Builder builder) {
			builder.nettyCustomizer(this.customizer);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	private static final class RecordingNettyCustomizer implements NettyCustomizer {

		private final List<Channel> channels = new ArrayList<>();

		@Override
		public void afterChannelInitialized(Channel channel) {
			this.channels.add(channel);
		}

	}

}
