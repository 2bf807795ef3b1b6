package app.cruddur.messages.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a limit said of one request: let through or not, the tokens left, when the next one comes
 * back (for a refused request) and when the bucket is full again. {@code enforced} is false when
 * nothing was asked (the limits are off, or Redis failed and the request was let through).
 */
public record RateDecision(RatePolicy policy, boolean allowed, long remaining, Duration retryAfter, Duration fullAfter,
                           boolean enforced) {

    static RateDecision notEnforced(RatePolicy policy) {
        return new RateDecision(policy, true, policy.burst(), Duration.ZERO, Duration.ZERO, false);
    }

    /**
     * The draft's {@code RateLimit-Policy} and {@code RateLimit} fields, and {@code Retry-After}
     * for a refused request; nothing when the limit was not asked.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!enforced) {
            return headers;
        }
        headers.put("RateLimit-Policy", policy.header());
        headers.put("RateLimit", "\"" + policy.name() + "\";r=" + remaining + ";t=" + seconds(fullAfter));
        if (!allowed) {
            headers.put("Retry-After", Long.toString(Math.max(1, seconds(retryAfter))));
        }
        return headers;
    }

    /** A 200 answer with this decision's headers. */
    public jakarta.ws.rs.core.Response ok(Object entity) {
        jakarta.ws.rs.core.Response.ResponseBuilder response = jakarta.ws.rs.core.Response.ok(entity);
        headers().forEach(response::header);
        return response.build();
    }

    /** A 204 answer with this decision's headers. */
    public jakarta.ws.rs.core.Response noContent() {
        jakarta.ws.rs.core.Response.ResponseBuilder response = jakarta.ws.rs.core.Response.noContent();
        headers().forEach(response::header);
        return response.build();
    }

    /** Whole seconds, rounded up: a client that waits that long finds the token back. */
    static long seconds(Duration duration) {
        long nanos = duration.toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
