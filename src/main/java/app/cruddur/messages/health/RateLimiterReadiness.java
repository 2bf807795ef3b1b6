package app.cruddur.messages.health;

import app.cruddur.messages.limits.RateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in readiness whether the rate limits are enforced, without failing it: when Redis is down
 * the limits fail open and the service serves on (see limits/RateLimiter), so taking the task out
 * of service would only add an outage.
 */
@Readiness
@ApplicationScoped
public class RateLimiterReadiness implements AsyncHealthCheck {

    static final String NAME = "Rate limits (Redis)";

    private final RateLimiter limiter;

    public RateLimiterReadiness(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return limiter.probe().map(answers -> report());
    }

    private HealthCheckResponse report() {
        String state = !limiter.enabled() ? "off"
                : limiter.failingOpen() ? "failing open: Redis does not answer, requests are let through unlimited"
                : "enforced";
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up()
                .withData("limits", state)
                .withData("letThroughUnlimited", limiter.letThroughUnlimited());
        if (limiter.failingOpen()) {
            response.withData("lastError", limiter.lastError());
        }
        return response.build();
    }
}
