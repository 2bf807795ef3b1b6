package app.cruddur.messages.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The service's own settings (the table's are beside it: table/TableConfig). */
@ConfigMapping(prefix = "cruddur.messages")
public interface MessagesConfig {

    Message message();

    Paging paging();

    Idempotency idempotency();

    StreamConsumer streamConsumer();

    Dax dax();

    Profiles profiles();

    Postgres postgres();

    VerifiedTokens verifiedTokens();

    RateLimits rateLimits();

    Blocks blocks();

    interface Message {
        /** The longest message, in Unicode code points (what a reader counts as characters, emoji included). */
        @WithDefault("1024")
        int maxChars();

        /**
         * How long a POST waits, once its message is stored, for both conversation lists to show it;
         * then it answers 503 lists_not_updated (the lists catch up by themselves).
         */
        @WithDefault("2s")
        Duration listsDeadline();
    }

    interface Paging {
        /** Page size when the request gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** The largest {@code limit} accepted. */
        @WithDefault("100")
        int maxLimit();
    }

    interface StreamConsumer {
        /** Run the in-service consumer of the table's stream (dev, test, single instance; Lambda does it in AWS). */
        @WithDefault("false")
        boolean enabled();

        /** The longest pause between polls when the stream is idle. */
        @WithDefault("250ms")
        Duration maxIdlePause();

        /** The longest pause after failures, which double it each time. */
        @WithDefault("5s")
        Duration maxErrorPause();

        /** Readiness reports the consumer stuck when it has not completed a poll for this long. */
        @WithDefault("30s")
        Duration stuckAfter();
    }

    interface Idempotency {
        /** How long a retry with the same Idempotency-Key gets the first answer. */
        @WithDefault("24h")
        Duration retention();
    }

    interface Profiles {
        /** How long browsers and shared caches may keep a public short profile ({@code Cache-Control: max-age}). */
        @WithDefault("60s")
        Duration maxAge();
    }

    interface Postgres {
        /** One query, the wait for a pooled connection included; then a 503. */
        @WithDefault("2s")
        Duration queryDeadline();

        /**
         * A connection that sends and receives nothing for this long is closed: a query stuck on a
         * silent server ends, and its pool slot comes back.
         */
        @WithDefault("10s")
        Duration silentConnectionTimeout();

        /** Queries that may wait for a connection when all are busy; more fail at once. */
        @WithDefault("200")
        int maxWaiting();
    }

    interface Dax {
        /**
         * The DAX cluster's discovery endpoint ({@code dax://...} or {@code daxs://...}). When set, the
         * eventually consistent reads (the message pages) go through DAX;
         * consistent reads and all writes always go straight to DynamoDB.
         */
        Optional<String> endpoint();
    }

    interface VerifiedTokens {
        /**
         * Access tokens whose verification is remembered until they expire (user/VerifiedTokenCache);
         * 0 verifies every request's token. About 3 KB each.
         */
        @WithDefault("2000")
        int maxSize();
    }

    /**
     * What one account (or, for the public profile, one client address) may do, for all instances
     * together: token buckets in Redis (limits/RateLimiter). The defaults of each limit are in
     * application.properties.
     */
    interface RateLimits {
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
    }

    /** One token bucket: {@code limit} requests per {@code period} on average, at most {@code burst} at once. */
    interface Limit {
        int limit();

        Duration period();

        int burst();
    }

    interface Blocks {
        /** The most users one user may block; a block beyond it is a 422 too_many_blocks. */
        @WithDefault("1000")
        int maxPerUser();
    }
}
