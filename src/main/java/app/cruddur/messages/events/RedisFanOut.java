package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.events.wire.EventChannelNames;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.mutiny.redis.client.Command;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The fan-out of events across service instances through Redis pub/sub (Valkey on ElastiCache):
 * every user has a channel ({@link EventChannelNames}); an instance publishes each
 * event to its user's channel and subscribes to the channels of the users whose streams it holds.
 *
 * <p>Two connections of the {@code events} Redis client: one in subscriber mode, one that publishes
 * (one connection keeps an instance's events in the order it published them). Every
 * {@code redis-ping} a number goes around, published on the one and received on the other; when
 * either connection fails, or the number is not back within {@code redis-deadline}, Redis
 * counts as unavailable: the hub ends every open stream (clients retry after the stream's hint),
 * events are not published, and the fan-out reconnects by itself, with backoff, then subscribes
 * again to every channel still wanted.
 */
@ApplicationScoped
public class RedisFanOut implements EventChannels {

    private static final Logger LOG = Logger.getLogger(RedisFanOut.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final int CHANNELS_PER_COMMAND = 500;

    /** One pair of connections; a failure of either ends this pair (compared by identity), and a new pair replaces it. */
    private record Connections(RedisConnection subscriber, RedisConnection publisher) {
    }

    private final Redis redis;
    private final Vertx vertx;
    private final EventsConfig config;
    private final Event<InstanceNote> notes;
    private final Map<UUID, CompletableFuture<Void>> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    /** This instance's own channel, which its pings go around. */
    private final String pingChannel = EventChannelNames.PING_PREFIX + UUID.randomUUID();
    private volatile Connections current;
    private volatile Receiver receiver;
    private volatile String lastError = "not connected yet";
    private volatile boolean stopped;
    /** A note of this instance reached nobody since it was last connected. */
    private volatile boolean notesDropped;
    private long pinger = -1;

    public RedisFanOut(@RedisClientName("events") Redis redis, Vertx vertx, EventsConfig config, Event<InstanceNote> notes) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.notes = notes;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        connect(FIRST_RETRY);
        pinger = vertx.setPeriodic(config.redisPing().toMillis(), tick -> ping());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (pinger >= 0) {
            vertx.cancelTimer(pinger);
        }
        Connections connections = current;
        current = null;
        if (connections != null) {
            close(connections);
        }
    }

    @Override
    public void receiver(Receiver receiver) {
        this.receiver = receiver;
    }

    /** Whether both connections are up. */
    @Override
    public boolean available() {
        return current != null;
    }

    /** Why Redis is unavailable, or the last error seen. */
    public String lastError() {
        return lastError;
    }

    /** Events that could not be published since start (Redis unavailable or failing). */
    public long publishFailures() {
        return publishFailures.get();
    }

    /** Channels this instance subscribes to (users with open streams here). */
    public int subscribedUsers() {
        return subscriptions.size();
    }

    /** Subscribes to the user's channel; completes once Redis has confirmed it (at once when already subscribed). */
    @Override
    public Uni<Void> subscribe(UUID user) {
        CompletableFuture<Void> created = new CompletableFuture<>();
        CompletableFuture<Void> confirmed = subscriptions.putIfAbsent(user, created);
        if (confirmed == null) {
            confirmed = created;
            Connections connections = current;
            if (connections != null) {
                subscribe(connections, List.of(user));
            }
        }
        return Uni.createFrom().completionStage(confirmed)
                .ifNoItem().after(config.redisDeadline()).failWith(() -> new EventsUnavailableException("Redis did not confirm a subscription"));
    }

    /** Stops receiving the user's channel (their last stream here ended). */
    @Override
    public void unsubscribe(UUID user) {
        if (subscriptions.remove(user) == null) {
            return;
        }
        Connections connections = current;
        if (connections != null) {
            connections.subscriber().send(Request.cmd(Command.UNSUBSCRIBE).arg(EventChannelNames.channel(user)))
                    .subscribe().with(ok -> { }, failure -> down(connections, failure));
        }
    }

    /**
     * Publishes a message event to its members' channels unless it was published before within
     * {@code duplicate-window}, never waiting: the POST that stored a message and the projection
     * that saw it both publish it, and whichever comes first does (one script, so also across
     * instances and Lambda retries).
     */
    public void publishOnce(UserEvent event, Collection<UUID> users) {
        Connections connections = current;
        if (connections == null) {
            publishFailures.incrementAndGet();
            return;
        }
        Request once = Request.cmd(Command.EVAL).arg(EventChannelNames.PUBLISH_ONCE).arg(1).arg(EventChannelNames.published(event))
                .arg(config.duplicateWindow().toMillis()).arg(event.wire());
        users.forEach(user -> once.arg(EventChannelNames.channel(user)));
        send(connections, once);
    }

    /** Publishes an event to its user's channel, never waiting; a failure is counted and logged, and the stream resumes it. */
    public void publish(UUID user, UserEvent event) {
        Connections connections = current;
        if (connections == null) {
            publishFailures.incrementAndGet();
            return;
        }
        send(connections, Request.cmd(Command.PUBLISH).arg(EventChannelNames.channel(user)).arg(event.wire()));
    }

    /**
     * Tells every instance, this one included; completes once Redis has taken the note (and pushed
     * it to every subscribed instance), or after {@code redis-deadline}. It never fails: unavailable
     * Redis drops the note, and the instances are told {@link InstanceNote#MISSED} once it is back.
     */
    public Uni<Void> tell(InstanceNote note) {
        Connections connections = current;
        if (connections == null) {
            dropped(note);
            return Uni.createFrom().voidItem();
        }
        return connections.publisher().send(Request.cmd(Command.PUBLISH).arg(EventChannelNames.NOTES).arg(note.wire()))
                .ifNoItem().after(config.redisDeadline()).fail()
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    dropped(note);
                    down(connections, failure);
                    return Uni.createFrom().voidItem();
                });
    }

    /** A note that reached nobody: once Redis is back, every instance is told that notes were lost. */
    private void dropped(InstanceNote note) {
        publishFailures.incrementAndGet();
        notesDropped = true;
        LOG.debugf("Dropped the note %s: Redis is unavailable", note.topic());
    }

    private void send(Connections connections, Request request) {
        connections.publisher().send(request)
                .ifNoItem().after(config.redisDeadline()).fail()
                .subscribe().with(ok -> { }, failure -> {
                    publishFailures.incrementAndGet();
                    down(connections, failure);
                });
    }

    private void connect(Duration retry) {
        if (stopped) {
            return;
        }
        Duration deadline = config.redisDeadline();
        redis.connect().ifNoItem().after(deadline).fail()
                .chain(subscriber -> redis.connect().ifNoItem().after(deadline).fail()
                        .onFailure().invoke(() -> subscriber.close().subscribe().with(ok -> { }, failure -> { }))
                        .map(publisher -> new Connections(subscriber, publisher)))
                .chain((Connections connections) -> connections.publisher().send(Request.cmd(Command.PING))
                        .ifNoItem().after(deadline).fail()
                        .onFailure().invoke(() -> close(connections))
                        .replaceWith(connections))
                .subscribe().with(this::up, failure -> {
                    lastError = describe(failure);
                    LOG.debugf("Redis not reachable: %s", lastError);
                    vertx.setTimer(retry.toMillis(), timer -> connect(next(retry)));
                });
    }

    private void up(Connections connections) {
        if (stopped) {
            close(connections);
            return;
        }
        connections.subscriber().handler(this::pushed);
        connections.subscriber().exceptionHandler(failure -> down(connections, failure));
        connections.subscriber().endHandler(() -> down(connections, new IllegalStateException("subscriber connection closed")));
        connections.publisher().exceptionHandler(failure -> down(connections, failure));
        connections.publisher().endHandler(() -> down(connections, new IllegalStateException("publisher connection closed")));
        current = connections;
        lastError = "";
        LOG.infof("Event fan-out connected to Redis (%d channels)", subscriptions.size());
        pongs.set(pings.get());
        connections.subscriber().send(Request.cmd(Command.SUBSCRIBE).arg(pingChannel).arg(EventChannelNames.NOTES))
                .ifNoItem().after(config.redisDeadline()).fail()
                // Notes sent while this instance was not subscribed are lost, and so are those it could not send.
                .subscribe().with(ok -> {
                    notes.fire(new InstanceNote(InstanceNote.MISSED, ""));
                    if (notesDropped) {
                        notesDropped = false;
                        send(connections, Request.cmd(Command.PUBLISH).arg(EventChannelNames.NOTES)
                                .arg(new InstanceNote(InstanceNote.MISSED, "").wire()));
                    }
                }, failure -> down(connections, failure));
        List<UUID> wanted = new ArrayList<>(subscriptions.keySet());
        for (int from = 0; from < wanted.size(); from += CHANNELS_PER_COMMAND) {
            subscribe(connections, wanted.subList(from, Math.min(wanted.size(), from + CHANNELS_PER_COMMAND)));
        }
    }

    private void subscribe(Connections connections, List<UUID> users) {
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        users.forEach(user -> subscribe.arg(EventChannelNames.channel(user)));
        connections.subscriber().send(subscribe)
                .ifNoItem().after(config.redisDeadline()).fail()
                .subscribe().with(ok -> users.forEach(user -> {
                    CompletableFuture<Void> future = subscriptions.get(user);
                    if (future != null) {
                        future.complete(null);
                    }
                }), failure -> down(connections, failure));
    }

    /** A message on a subscribed channel: {@code message <channel> <payload>}. */
    private void pushed(Response response) {
        if ((response.type() != ResponseType.MULTI && response.type() != ResponseType.PUSH) || response.size() < 3
                || !"message".equals(String.valueOf(response.get(0)))) {
            return;
        }
        String channel = String.valueOf(response.get(1));
        if (channel.equals(pingChannel)) {
            try {
                pongs.set(Long.parseLong(String.valueOf(response.get(2))));
            } catch (NumberFormatException e) {
                LOG.debugf("Not a ping on %s", pingChannel);
            }
            return;
        }
        if (channel.equals(EventChannelNames.NOTES)) {
            InstanceNote.fromWire(response.get(2).toString()).ifPresent(notes::fire);
            return;
        }
        if (!channel.startsWith(EventChannelNames.CHANNEL_PREFIX)) {
            return;
        }
        Optional<UUID> user = app.cruddur.messages.table.Uuids.parse(channel.substring(EventChannelNames.CHANNEL_PREFIX.length()));
        Optional<UserEvent> event = UserEvent.fromWire(response.get(2).toString());
        Receiver told = receiver;
        if (user.isPresent() && event.isPresent() && told != null) {
            told.received(user.get(), event.get());
        }
    }

    /**
     * The whole path at once: a number published on the publisher must come back on the
     * subscriber (to this instance's own ping channel) within {@code redis-deadline}.
     */
    private void ping() {
        Connections connections = current;
        if (connections == null) {
            return;
        }
        long sent = pings.incrementAndGet();
        send(connections, Request.cmd(Command.PUBLISH).arg(pingChannel).arg(Long.toString(sent)));
        vertx.setTimer(config.redisDeadline().toMillis(), timer -> {
            if (current == connections && pongs.get() < sent) {
                down(connections, new java.util.concurrent.TimeoutException("a ping did not come back within "
                        + config.redisDeadline().toMillis() + " ms"));
            }
        });
    }

    /** Either connection failed: once per connection pair, end every stream and reconnect. */
    private void down(Connections connections, Throwable failure) {
        synchronized (this) {
            if (current != connections) {
                return;
            }
            current = null;
        }
        lastError = describe(failure);
        close(connections);
        if (stopped) {
            return;
        }
        LOG.warnf("Event fan-out lost Redis (%s); open streams end, clients resume when it is back", lastError);
        // Confirmations still pending will come from the next connection's subscribe.
        subscriptions.replaceAll((user, future) -> future.isDone() ? new CompletableFuture<>() : future);
        Receiver told = receiver;
        if (told != null) {
            told.unavailable();
        }
        vertx.setTimer(FIRST_RETRY.toMillis(), timer -> connect(next(FIRST_RETRY)));
    }

    private static void close(Connections connections) {
        connections.subscriber().close().subscribe().with(ok -> { }, failure -> { });
        connections.publisher().close().subscribe().with(ok -> { }, failure -> { });
    }

    private static Duration next(Duration retry) {
        Duration doubled = retry.multipliedBy(2);
        return doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
