package consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A new user's application: nothing but the starter and Spring Boot. It prints the starter's
 * auto-configurations that matched and talks to the cluster once.
 */
@SpringBootApplication
public class ConsumerApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ConsumerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(args)) {
			ConditionEvaluationReport report = ConditionEvaluationReport.get(context.getBeanFactory());
			report.getConditionAndOutcomesBySource().forEach((source, outcomes) -> {
				if (source.startsWith("io.github.redisresilience.") && source.endsWith("AutoConfiguration")
						&& outcomes.isFullMatch()) {
					System.out.println("matched auto-configuration " + source);
				}
			});
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("consumer", "works");
			System.out.println("redis answered " + redis.opsForValue().get("consumer"));
		}
	}

}
