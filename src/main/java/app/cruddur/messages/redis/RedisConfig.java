package app.cruddur.messages.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the service waits for Redis (Valkey in AWS), and how often it checks the pub/sub path. */
@ConfigMapping(prefix = "cruddur.messages.redis")
public interface RedisConfig {

    /** Each Redis command, and each connection attempt, gets this long; then Redis counts as unavailable. */
    @WithDefault("1s")
    Duration deadline();

    /** Both pub/sub connections are pinged this often, so that a silent Redis is noticed. */
    @WithDefault("5s")
    Duration ping();
}
