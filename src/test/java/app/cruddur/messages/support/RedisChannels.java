package app.cruddur.messages.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.EventChannelNames;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Subscribed to users' event channels on the local Redis, as the service's instances are: what travels between them. */
public final class RedisChannels implements AutoCloseable {

    /** One message on a channel: its channel and its wire form (events/wire/UserEvent). */
    public record Published(String channel, String wire) {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Longer than a publish takes to arrive. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private final BlockingQueue<Published> received = new LinkedBlockingQueue<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final JedisPubSub subscriber;
    private final Thread thread;

    private RedisChannels(URI redis, String... channels) {
        subscriber = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(new Published(channel, message));
            }

            @Override
            public void onSubscribe(String channel, int count) {
                if (count == channels.length) {
                    subscribed.countDown();
                }
            }
        };
        thread = new Thread(() -> {
            try (Jedis jedis = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
                jedis.subscribe(subscriber, channels);
            }
        }, "event-channels");
        thread.setDaemon(true);
    }

    public static RedisChannels subscribe(URI redis, UUID... users) throws InterruptedException {
        RedisChannels channels = new RedisChannels(redis, Stream.of(users).map(EventChannelNames::channel).toArray(String[]::new));
        channels.thread.start();
        assertTrue(channels.subscribed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "subscribed to " + List.of(users));
        return channels;
    }

    /** What was published since the last call. */
    public List<Published> drain() throws InterruptedException {
        List<Published> published = new ArrayList<>();
        Published next;
        while ((next = received.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            published.add(next);
        }
        return published;
    }

    @Override
    public void close() throws InterruptedException {
        subscriber.unsubscribe();
        thread.join(WAIT.toMillis());
    }
}
