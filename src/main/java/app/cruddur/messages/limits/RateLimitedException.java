package app.cruddur.messages.limits;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import java.util.Map;

/** Over a limit: 429 rate_limited, with the limit's headers; nothing was stored. */
public class RateLimitedException extends ApiException {

    private final transient RateDecision decision;

    public RateLimitedException(RateDecision decision) {
        super(ErrorCode.RATE_LIMITED, "Too many requests (" + decision.policy().name() + "); retry after "
                + decision.headers().get("Retry-After") + " s.");
        this.decision = decision;
    }

    public RateDecision decision() {
        return decision;
    }

    @Override
    public Map<String, String> headers() {
        return decision.headers();
    }
}
