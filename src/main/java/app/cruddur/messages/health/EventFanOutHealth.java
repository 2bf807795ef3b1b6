package app.cruddur.messages.health;

import app.cruddur.messages.events.MessageEvents;
import app.cruddur.messages.events.RedisFanOut;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** {@code /q/health/group/events}: DOWN while the event fan-out cannot reach Redis (see {@link EventFanOutReadiness}). */
@HealthGroup("events")
@ApplicationScoped
public class EventFanOutHealth implements HealthCheck {

    private final RedisFanOut fanOut;
    private final MessageEvents streams;

    public EventFanOutHealth(RedisFanOut fanOut, MessageEvents streams) {
        this.fanOut = fanOut;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return EventFanOutReadiness.report(fanOut, streams).status(fanOut.available()).build();
    }
}
