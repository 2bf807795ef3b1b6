package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a cross-origin request that the CORS configuration ({@code quarkus.http.cors.*}) refuses
 * with a 403 problem, before Quarkus' CORS filter would refuse it with an empty body. It decides
 * as that filter does: an Origin is accepted when it is configured or is the service's own, and a
 * preflight's requested method when it is configured. Everything else goes on to the CORS filter.
 */
@Singleton
public class CorsRejection {

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final Set<String> methods;

    public CorsRejection(@ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins,
                         @ConfigProperty(name = "quarkus.http.cors.methods") Optional<List<String>> methods) {
        this.origins = origins.orElse(List.of()).stream().map(CorsRejection::normalise).collect(Collectors.toSet());
        this.anyOrigin = this.origins.contains("*");
        this.methods = methods.orElse(List.of()).stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String reason = rejection(context.request());
            if (reason == null) {
                context.next();
                return;
            }
            ProblemMapper.send(context.response(), Problem.of(403, "Forbidden", ErrorCode.CORS_REJECTED, reason));
        });
    }

    /** Why the request is refused, or null when it is not a cross-origin request this service refuses. */
    String rejection(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return null;
        }
        if (!anyOrigin && !origins.contains(normalise(origin)) && !sameOrigin(request, origin)) {
            return "Requests from this origin are not allowed.";
        }
        String requested = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.method() == HttpMethod.OPTIONS && requested != null && !methods.isEmpty()
                && !methods.contains(requested.trim().toUpperCase(Locale.ROOT))) {
            return "Cross-origin " + requested + " requests are not allowed.";
        }
        return null;
    }

    private static boolean sameOrigin(HttpServerRequest request, String origin) {
        return request.authority() != null
                && normalise(origin).equals(normalise(request.scheme() + "://" + request.authority()));
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
