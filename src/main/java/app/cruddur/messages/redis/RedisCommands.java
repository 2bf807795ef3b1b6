package app.cruddur.messages.redis;

import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Single commands on the pooled connections of the {@code events} Redis client (tickets, the rate
 * limits' buckets), each within a deadline: a silent Redis fails the command, never hangs it.
 * What a failure means (a 503, limits failing open) is the caller's rule.
 */
@ApplicationScoped
public class RedisCommands {

    private final Redis redis;
    private final RedisConfig config;

    public RedisCommands(@RedisClientName("events") Redis redis, RedisConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** The command's answer within {@code cruddur.messages.redis.deadline}. */
    public Uni<Response> send(Request command) {
        return send(command, config.deadline());
    }

    /** The command's answer within {@code deadline}. */
    public Uni<Response> send(Request command, Duration deadline) {
        return redis.send(command).ifNoItem().after(deadline).fail();
    }
}
