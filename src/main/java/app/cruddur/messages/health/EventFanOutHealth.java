package app.cruddur.messages.health;

import app.cruddur.messages.events.MessageEvents;
import app.cruddur.messages.events.UserChannels;
import app.cruddur.messages.redis.RedisPubSub;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** {@code /q/health/group/events}: DOWN while the event fan-out cannot reach Redis (see {@link EventFanOutReadiness}). */
@HealthGroup("events")
@ApplicationScoped
public class EventFanOutHealth implements HealthCheck {

    private final RedisPubSub pubSub;
    private final UserChannels channels;
    private final MessageEvents streams;

    public EventFanOutHealth(RedisPubSub pubSub, UserChannels channels, MessageEvents streams) {
        this.pubSub = pubSub;
        this.channels = channels;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return EventFanOutReadiness.report(pubSub, channels, streams).status(pubSub.available()).build();
    }
}
