package app.cruddur.messages.health;

import app.cruddur.messages.events.MessageEvents;
import app.cruddur.messages.events.UserChannels;
import app.cruddur.messages.redis.RedisPubSub;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in readiness whether the event fan-out reaches Redis, and why not, without failing it: the
 * REST API works without Redis, and a readiness that failed with Redis would have the load
 * balancer and ECS take every task out and replace it during a Redis outage, REST and all. The
 * health group {@code events} ({@link EventFanOutHealth}) is the one that goes DOWN.
 */
@Readiness
@ApplicationScoped
public class EventFanOutReadiness implements HealthCheck {

    static final String NAME = "Event fan-out (Redis)";

    private final RedisPubSub pubSub;
    private final UserChannels channels;
    private final MessageEvents streams;

    public EventFanOutReadiness(RedisPubSub pubSub, UserChannels channels, MessageEvents streams) {
        this.pubSub = pubSub;
        this.channels = channels;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return report(pubSub, channels, streams).up().build();
    }

    static HealthCheckResponseBuilder report(RedisPubSub pubSub, UserChannels channels, MessageEvents streams) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("redis", pubSub.available() ? "connected" : "unavailable: streams closed, the REST API works")
                .withData("openStreams", streams.openStreams())
                .withData("subscribedUsers", channels.subscribedUsers())
                .withData("publishFailures", pubSub.publishFailures());
        if (!pubSub.available()) {
            response.withData("lastError", pubSub.lastError());
        }
        return response;
    }
}
