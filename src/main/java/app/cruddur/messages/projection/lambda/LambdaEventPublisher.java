package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.events.wire.EventChannelNames;
import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableChanges;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * What the projection Lambda saw, published to the members' event channels, so that a message a
 * tool wrote reaches the open streams too, and a post whose own publishing failed is published
 * after all: the same events as the service's ({@link UserEvent}), a message once
 * ({@link EventChannelNames#PUBLISH_ONCE}, whoever comes first), an entry by whoever moved it. The
 * batch's events are gathered while it is applied and sent together after it, in order, over one
 * connection, within {@link #DEADLINE}. Publishing never fails the batch: the entries are moved, and
 * a stream that missed an event resumes it from the table.
 */
final class LambdaEventPublisher implements TableChanges {

    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final Duration DUPLICATE_WINDOW = Duration.parse(EventChannelNames.DUPLICATE_WINDOW);
    private static final Logger LOG = Logger.getLogger(LambdaEventPublisher.class);

    private record Pending(UserEvent event, List<UUID> users, boolean once) {
    }

    private final HostAndPort endpoint;
    private final boolean tls;
    private final String user;
    private final Supplier<String> password;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Pending> pending = new ArrayList<>();
    private Jedis connection;

    /**
     * @param user     the ACL user, or null for Redis without users (the local stack)
     * @param password its password (a fresh IAM token on AWS), asked for on every new connection
     */
    LambdaEventPublisher(HostAndPort endpoint, boolean tls, String user, Supplier<String> password) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.user = user;
        this.password = password;
    }

    @Override
    public synchronized void messageStored(MessageItem message, Set<UUID> members) {
        try {
            // In the message's trace, as the service's own event of it: each stream's delivery joins it.
            pending.add(new Pending(UserEvent.message(message, json).tracedBy(message.traceParent()), List.copyOf(members), true));
        } catch (RuntimeException | LinkageError e) {
            // Never in the projection's way: the entries must move whatever happens to the events.
            LOG.warnf("Event of message %s not rendered: %s", message.messageUuid(), e.toString());
        }
    }

    @Override
    public synchronized void entriesMoved(List<ListEntryItem> entries) {
        try {
            entries.forEach(entry -> pending.add(new Pending(UserEvent.listEntry(entry, json), List.of(entry.ownerUserUuid()), false)));
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf("Events of %d moved entries not rendered: %s", entries.size(), e.toString());
        }
    }

    /** Sends what the batch gathered; returns how many events were published (0 when Redis failed). */
    synchronized int flush() {
        List<Pending> batch = List.copyOf(pending);
        pending.clear();
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            Pipeline pipeline = connection().pipelined();
            for (Pending next : batch) {
                if (next.once()) {
                    List<String> args = new ArrayList<>(List.of(Long.toString(DUPLICATE_WINDOW.toMillis()), next.event().wire()));
                    next.users().forEach(member -> args.add(EventChannelNames.channel(member)));
                    pipeline.eval(EventChannelNames.PUBLISH_ONCE, List.of(EventChannelNames.published(next.event())), args);
                } else {
                    next.users().forEach(owner -> pipeline.publish(EventChannelNames.channel(owner), next.event().wire()));
                }
            }
            pipeline.sync();
            return batch.size();
        } catch (RuntimeException e) {
            LOG.warnf("Events of %d changes not published (streams resume them from the table): %s", batch.size(), e.toString());
            close();
            return 0;
        }
    }

    private Jedis connection() {
        if (connection == null || !connection.isConnected() || connection.isBroken()) {
            close();
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                    .ssl(tls)
                    .connectionTimeoutMillis((int) DEADLINE.toMillis())
                    .socketTimeoutMillis((int) DEADLINE.toMillis());
            if (user != null) {
                config.user(user).password(password.get());
            }
            connection = new Jedis(endpoint, config.build());
        }
        return connection;
    }

    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                LOG.debugf("Closing the Redis connection: %s", e.toString());
            }
            connection = null;
        }
    }
}
