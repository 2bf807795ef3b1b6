package app.cruddur.messages.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * What one account (or, for the public profile, one client address) may do, for all instances
 * together: token buckets in Redis (limits/RateLimiter). The defaults of each limit are in
 * application.properties.
 */
@ConfigMapping(prefix = "cruddur.messages.rate-limits")
public interface RateLimitsConfig {

    /** Enforce the limits; off, every request is let through without asking Redis. */
    @WithDefault("true")
    boolean enabled();

    /** Messages posted by a user. */
    Limit messages();

    /** Conversations a user opens (first messages to another user). */
    Limit conversations();

    /** Event-stream tickets a user takes. */
    Limit tickets();

    /** Public short profiles looked up by one client address. */
    Limit profileLookups();

    /** Blocks, unblocks and reads of the block list by a user. */
    Limit blocks();

    /** Read markers moved and read, and unread totals read, by a user. */
    Limit readMarkers();

    /** Edits and deletes of messages by their sender. */
    Limit messageChanges();

    /** Typing notices a user sends (one every few seconds while typing). */
    Limit typing();

    /**
     * Proxies in front of the service that append the client's address to X-Forwarded-For (1
     * behind the AWS load balancer): the address that many entries from the right is the
     * client's. 0 uses the connection's address and ignores the header, which a client can forge.
     */
    @WithDefault("0")
    int trustedProxies();

    /** How long a limit may wait for Redis; then the request is let through (fail open). */
    @WithDefault("250ms")
    Duration deadline();

    /** After Redis failed, requests are let through without asking it for this long, then it is tried again. */
    @WithDefault("2s")
    Duration failOpenPause();

    /** One token bucket: {@code limit} requests per {@code period} on average, at most {@code burst} at once. */
    interface Limit {
        int limit();

        Duration period();

        int burst();
    }
}
