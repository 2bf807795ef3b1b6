package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an oversized body with a 413 problem before it is read. The HTTP layer enforces the
 * same limit ({@code quarkus.http.limits.max-body-size}) on bodies without a Content-Length, but
 * with an empty 413.
 */
@Singleton
public class BodySizeLimit {

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
                ProblemMapper.send(context.response(), Problem.of(413, "Content Too Large", ErrorCode.BODY_TOO_LARGE,
                        "The body is larger than " + maxBytes + " bytes."));
                return;
            }
            context.next();
        });
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
