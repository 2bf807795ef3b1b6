package app.cruddur.messages.limits;

import java.time.Duration;

/**
 * One limit as a token bucket: it holds {@code burst} tokens, a request takes one, and one comes
 * back every {@code interval} ({@code period / limit}). It is kept in Redis as a single time (the
 * generic cell rate algorithm, the token bucket's equivalent with one number per bucket).
 *
 * <p>In the IETF httpapi draft's terms its quota is {@code burst} requests in a window of
 * {@code burst × interval}: 30 messages a minute with a burst of 10 is {@code q=10;w=20}.
 */
public record RatePolicy(String name, int burst, Duration interval) {

    public RatePolicy {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the limit " + name + " needs a burst of at least 1 and a positive interval");
        }
    }

    public static RatePolicy of(String name, RateLimitsConfig.Limit limit) {
        if (limit.limit() < 1) {
            throw new IllegalArgumentException("the limit " + name + " needs at least 1 request per period");
        }
        return new RatePolicy(name, limit.burst(), limit.period().dividedBy(limit.limit()));
    }

    /** The time a full bucket takes to refill from empty. */
    public Duration window() {
        return interval.multipliedBy(burst);
    }

    /** {@code RateLimit-Policy} for this limit: its name, quota and window (seconds, rounded up). */
    public String header() {
        return "\"" + name + "\";q=" + burst + ";w=" + RateDecision.seconds(window());
    }
}
