package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.EventChannelNames;
import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.redis.RedisConfig;
import app.cruddur.messages.redis.RedisPubSub;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.trace.wire.TraceParent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The fan-out of events across service instances, on {@link RedisPubSub}: every user has a
 * channel ({@link EventChannelNames}); an instance publishes each event to its user's channel and
 * subscribes to the channels of the users whose event streams it holds. An event carries the trace
 * that published it. When pub/sub is lost, the hub is told and ends every open event stream (clients
 * retry after the stream's hint).
 */
@ApplicationScoped
public class UserChannels implements EventChannels {

    private final RedisPubSub pubSub;
    private final RedisConfig redis;
    private final EventsConfig config;
    private volatile Receiver receiver;

    public UserChannels(RedisPubSub pubSub, RedisConfig redis, EventsConfig config) {
        this.pubSub = pubSub;
        this.redis = redis;
        this.config = config;
    }

    void start(@Observes @Priority(5) StartupEvent event) {
        pubSub.handle(EventChannelNames.CHANNEL_PREFIX, this::received);
        pubSub.whenLost(() -> {
            Receiver told = receiver;
            if (told != null) {
                told.unavailable();
            }
        });
    }

    @Override
    public void receiver(Receiver receiver) {
        this.receiver = receiver;
    }

    /** Whether events flow now. */
    @Override
    public boolean available() {
        return pubSub.available();
    }

    /** Users with open event streams here (channels this instance subscribes to). */
    public int subscribedUsers() {
        return pubSub.subscribed(EventChannelNames.CHANNEL_PREFIX);
    }

    /** Subscribes to the user's channel; completes once Redis has confirmed it (at once when already subscribed). */
    @Override
    public Uni<Void> subscribe(UUID user) {
        return pubSub.subscribe(EventChannelNames.channel(user))
                .ifNoItem().after(redis.deadline()).failWith(() -> new EventsUnavailableException("Redis did not confirm a subscription"));
    }

    /** Stops receiving the user's channel (their last event stream here ended). */
    @Override
    public void unsubscribe(UUID user) {
        pubSub.unsubscribe(EventChannelNames.channel(user));
    }

    /**
     * Publishes a message event to its members' channels unless it was published before within
     * {@code duplicate-window}, never waiting: the POST that stored a message and the projection
     * that saw it both publish it, and whichever comes first does (one script, so also across
     * instances and Lambda retries).
     */
    public void publishOnce(UserEvent event, Collection<UUID> users) {
        List<String> args = new ArrayList<>(List.of(Long.toString(config.duplicateWindow().toMillis()), traced(event).wire()));
        users.forEach(user -> args.add(EventChannelNames.channel(user)));
        pubSub.eval(EventChannelNames.PUBLISH_ONCE, List.of(EventChannelNames.published(event)), args);
    }

    /** Publishes an event to its user's channel, never waiting; a failure is counted and logged, and the event stream resumes it. */
    public void publish(UUID user, UserEvent event) {
        pubSub.publish(EventChannelNames.channel(user), traced(event).wire());
    }

    /** The event in the current trace, when it is sampled: its delivery to each stream joins that trace. */
    private static UserEvent traced(UserEvent event) {
        return event.traceParent() != null ? event : event.tracedBy(TraceParent.current().orElse(null));
    }

    private void received(String channel, String payload) {
        Optional<UUID> user = Keys.parseUuid(channel.substring(EventChannelNames.CHANNEL_PREFIX.length()));
        Optional<UserEvent> event = UserEvent.fromWire(payload);
        Receiver told = receiver;
        if (user.isPresent() && event.isPresent() && told != null) {
            told.received(user.get(), event.get());
        }
    }
}
