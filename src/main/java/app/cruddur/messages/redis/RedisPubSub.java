package app.cruddur.messages.redis;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Redis pub/sub for every room that needs it (the users' event channels, the instance notes):
 * two connections of the {@code events} Redis client, one in subscriber mode and one that
 * publishes (one connection keeps an instance's messages in the order it published them).
 *
 * <p>Every {@code cruddur.messages.redis.ping} a number goes around, published on the one and
 * received on the other; when either connection fails, or the number is not back within
 * {@code cruddur.messages.redis.deadline}, pub/sub counts as unavailable: whoever listens is told
 * ({@link #whenLost}), nothing is published, and it reconnects by itself, with backoff, then
 * subscribes again to every channel still wanted.
 */
@ApplicationScoped
public class RedisPubSub {

    /** An instance's own channel for its pings: {@code cruddur:ping:<random uuid>}. */
    public static final String PING_PREFIX = "cruddur:ping:";

    private static final Logger LOG = Logger.getLogger(RedisPubSub.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final int CHANNELS_PER_COMMAND = 500;

    /** One pair of connections; a failure of either ends this pair (compared by identity), and a new pair replaces it. */
    private record Connections(RedisConnection subscriber, RedisConnection publisher) {
    }

    /** A wanted channel: confirmed once Redis has subscribed it on the current pair. */
    private static final class Wanted {
        final Runnable onEachConfirmation;
        volatile CompletableFuture<Void> confirmed = new CompletableFuture<>();

        Wanted(Runnable onEachConfirmation) {
            this.onEachConfirmation = onEachConfirmation;
        }
    }

    private record Handler(String prefix, BiConsumer<String, String> received) {
    }

    private final Redis redis;
    private final Vertx vertx;
    private final RedisConfig config;
    private final Map<String, Wanted> wanted = new ConcurrentHashMap<>();
    private final List<Handler> handlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    /** This instance's own channel, which its pings go around. */
    private final String pingChannel = PING_PREFIX + UUID.randomUUID();
    private volatile Connections current;
    private volatile String lastError = "not connected yet";
    private volatile boolean stopped;
    private long pinger = -1;

    public RedisPubSub(@RedisClientName("events") Redis redis, Vertx vertx, RedisConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        wanted.put(pingChannel, new Wanted(() -> { }));
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        connect(FIRST_RETRY);
        pinger = vertx.setPeriodic(config.ping().toMillis(), tick -> ping());
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

    /** Whether both connections are up. */
    public boolean available() {
        return current != null;
    }

    /** Why pub/sub is unavailable, or the last error seen. */
    public String lastError() {
        return lastError;
    }

    /** Messages that could not be published since start (Redis unavailable or failing). */
    public long publishFailures() {
        return publishFailures.get();
    }

    /** Wanted channels whose names start with {@code prefix}. */
    public int subscribed(String prefix) {
        return (int) wanted.keySet().stream().filter(channel -> channel.startsWith(prefix)).count();
    }

    /** Hands every message of a channel starting with {@code prefix} to {@code received} (channel, payload). */
    public void handle(String prefix, BiConsumer<String, String> received) {
        handlers.add(new Handler(prefix, received));
    }

    /** Runs {@code listener} each time the connections are lost (before reconnecting). */
    public void whenLost(Runnable listener) {
        lostListeners.add(listener);
    }

    /** {@link #subscribe(String, Runnable)} with nothing to run on a confirmation. */
    public Uni<Void> subscribe(String channel) {
        return subscribe(channel, () -> { });
    }

    /**
     * Receives {@code channel} until {@link #unsubscribe}, also across reconnections; completes once
     * Redis has confirmed it (at once when confirmed already), which may take until Redis is back:
     * the caller bounds the wait. {@code onEachConfirmation} runs after every confirmation, the
     * first and each after a reconnection (messages published meanwhile were missed).
     */
    public Uni<Void> subscribe(String channel, Runnable onEachConfirmation) {
        Wanted created = new Wanted(onEachConfirmation);
        Wanted existing = wanted.putIfAbsent(channel, created);
        if (existing == null) {
            Connections connections = current;
            if (connections != null) {
                subscribe(connections, List.of(channel));
            }
            existing = created;
        }
        CompletableFuture<Void> confirmed = existing.confirmed;
        return Uni.createFrom().completionStage(confirmed);
    }

    /** Stops receiving {@code channel}. */
    public void unsubscribe(String channel) {
        if (wanted.remove(channel) == null) {
            return;
        }
        Connections connections = current;
        if (connections != null) {
            connections.subscriber().send(Request.cmd(Command.UNSUBSCRIBE).arg(channel))
                    .subscribe().with(ok -> { }, failure -> down(connections, failure));
        }
    }

    /** Publishes, never waiting; a failure is counted and logged. */
    public void publish(String channel, String payload) {
        send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload));
    }

    /** Runs a script on the publishing connection (in order with the publishes), never waiting. */
    public void eval(String script, List<String> keys, List<String> args) {
        Request eval = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
        keys.forEach(eval::arg);
        args.forEach(eval::arg);
        send(eval);
    }

    /**
     * Publishes and waits until Redis has taken the message (and pushed it to every subscriber), at
     * most {@code deadline}: true then, false when pub/sub is unavailable or failed meanwhile. Never fails.
     */
    public Uni<Boolean> publishNow(String channel, String payload) {
        Connections connections = current;
        if (connections == null) {
            publishFailures.incrementAndGet();
            return Uni.createFrom().item(false);
        }
        return connections.publisher().send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload))
                .ifNoItem().after(config.deadline()).fail()
                .replaceWith(true)
                .onFailure().recoverWithUni(failure -> {
                    publishFailures.incrementAndGet();
                    down(connections, failure);
                    return Uni.createFrom().item(false);
                });
    }

    private void send(Request request) {
        Connections connections = current;
        if (connections == null) {
            publishFailures.incrementAndGet();
            return;
        }
        connections.publisher().send(request)
                .ifNoItem().after(config.deadline()).fail()
                .subscribe().with(ok -> { }, failure -> {
                    publishFailures.incrementAndGet();
                    down(connections, failure);
                });
    }

    private void connect(Duration retry) {
        if (stopped) {
            return;
        }
        Duration deadline = config.deadline();
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
        LOG.infof("Redis pub/sub connected (%d channels)", wanted.size());
        pongs.set(pings.get());
        List<String> channels = new ArrayList<>(wanted.keySet());
        for (int from = 0; from < channels.size(); from += CHANNELS_PER_COMMAND) {
            subscribe(connections, channels.subList(from, Math.min(channels.size(), from + CHANNELS_PER_COMMAND)));
        }
    }

    private void subscribe(Connections connections, List<String> channels) {
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        channels.forEach(subscribe::arg);
        connections.subscriber().send(subscribe)
                .ifNoItem().after(config.deadline()).fail()
                .subscribe().with(ok -> channels.forEach(channel -> {
                    Wanted channelWanted = wanted.get(channel);
                    if (channelWanted != null && current == connections) {
                        channelWanted.confirmed.complete(null);
                        channelWanted.onEachConfirmation.run();
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
        String payload = response.get(2).toString();
        for (Handler handler : handlers) {
            if (channel.startsWith(handler.prefix())) {
                handler.received().accept(channel, payload);
            }
        }
    }

    /**
     * The whole path at once: a number published on the publisher must come back on the
     * subscriber (to this instance's own ping channel) within the deadline.
     */
    private void ping() {
        Connections connections = current;
        if (connections == null) {
            return;
        }
        long sent = pings.incrementAndGet();
        send(Request.cmd(Command.PUBLISH).arg(pingChannel).arg(Long.toString(sent)));
        vertx.setTimer(config.deadline().toMillis(), timer -> {
            if (current == connections && pongs.get() < sent) {
                down(connections, new TimeoutException("a ping did not come back within " + config.deadline().toMillis() + " ms"));
            }
        });
    }

    /** Either connection failed: once per connection pair, tell the listeners and reconnect. */
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
        wanted.values().forEach(channel -> {
            if (channel.confirmed.isDone()) {
                channel.confirmed = new CompletableFuture<>();
            }
        });
        lostListeners.forEach(Runnable::run);
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
