package app.cruddur.messages.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateDecisionTest {

    private static final RatePolicy MESSAGES = new RatePolicy("messages", 10, Duration.ofSeconds(2));

    @Test
    void aPolicyIsItsBurstOverTheTimeItTakesToRefill() {
        assertEquals("\"messages\";q=10;w=20", MESSAGES.header());
        assertEquals("\"conversations\";q=20;w=3600", new RatePolicy("conversations", 20, Duration.ofMinutes(3)).header());
    }

    @Test
    void anAdmittedRequestSaysWhatIsLeftAndNoRetryAfter() {
        Map<String, String> headers = new RateDecision(MESSAGES, true, 9, Duration.ZERO, Duration.ofMillis(2000), true).headers();
        assertEquals(Map.of("RateLimit-Policy", "\"messages\";q=10;w=20", "RateLimit", "\"messages\";r=9;t=2"), headers);
    }

    @Test
    void aRefusedRequestSaysWhenToRetryRoundedUp() {
        Map<String, String> headers = new RateDecision(MESSAGES, false, 0, Duration.ofMillis(1200), Duration.ofMillis(19_200), true)
                .headers();
        assertEquals("2", headers.get("Retry-After"));
        assertEquals("\"messages\";r=0;t=20", headers.get("RateLimit"));
        // Rounded up from the microsecond: 1.0004 s is 2 s, or the client retries too early.
        assertEquals("2", new RateDecision(MESSAGES, false, 0, Duration.ofNanos(1_000_400_000), Duration.ofSeconds(3), true)
                .headers().get("Retry-After"));
        // Never "retry after 0 s": a refused client waits at least a second.
        assertEquals("1", new RateDecision(MESSAGES, false, 0, Duration.ofMillis(0), Duration.ofSeconds(3), true)
                .headers().get("Retry-After"));
    }

    @Test
    void aLimitThatWasNotAskedSendsNoFields() {
        assertTrue(RateDecision.notEnforced(MESSAGES).headers().isEmpty());
        assertTrue(RateDecision.notEnforced(MESSAGES).allowed());
    }

    @Test
    void aPolicyNeedsABurstAndARate() {
        assertThrows(IllegalArgumentException.class, () -> new RatePolicy("none", 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RatePolicy("none", 1, Duration.ZERO));
    }

    @Test
    void aConfiguredLimitIsItsPeriodSharedOut() {
        RatePolicy policy = RatePolicy.of("messages", limit(30, Duration.ofMinutes(1), 10));
        assertEquals(Duration.ofSeconds(2), policy.interval());
        assertEquals(Duration.ofSeconds(20), policy.window());
        assertThrows(IllegalArgumentException.class, () -> RatePolicy.of("none", limit(0, Duration.ofMinutes(1), 1)));
    }

    private static app.cruddur.messages.limits.RateLimitsConfig.Limit limit(int limit, Duration period, int burst) {
        return new app.cruddur.messages.limits.RateLimitsConfig.Limit() {
            @Override
            public int limit() {
                return limit;
            }

            @Override
            public Duration period() {
                return period;
            }

            @Override
            public int burst() {
                return burst;
            }
        };
    }
}
