package app.cruddur.messages.health;

import app.cruddur.messages.projection.consumer.StreamConsumerConfig;
import app.cruddur.messages.projection.consumer.StreamConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** DOWN when the enabled stream consumer has not completed a poll for a while: conversation lists would go stale. */
@Readiness
@ApplicationScoped
public class StreamConsumerReadiness implements HealthCheck {

    private final StreamConsumer consumer;
    private final StreamConsumerConfig config;
    private final Clock clock;

    public StreamConsumerReadiness(StreamConsumer consumer, StreamConsumerConfig config, Clock clock) {
        this.consumer = consumer;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Stream consumer");
        if (!config.enabled()) {
            return response.up().withData("enabled", false).build();
        }
        Instant last = consumer.lastPoll().orElse(Instant.EPOCH);
        Duration since = Duration.between(last, clock.instant());
        response.withData("running", consumer.running())
                .withData("lastPollMillisAgo", since.toMillis())
                .withData("lagMillis", consumer.lagMillis())
                .withData("doing", consumer.doing());
        consumer.lastError().ifPresent(error -> response.withData("lastError", error));
        boolean stuck = !consumer.running() || since.compareTo(config.stuckAfter()) > 0;
        return response.status(!stuck).build();
    }
}
