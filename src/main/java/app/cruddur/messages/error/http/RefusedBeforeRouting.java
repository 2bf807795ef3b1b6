package app.cruddur.messages.error.http;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Answers as a problem what Vert.x Web refuses before any route runs: an HTTP/1.1 request without
 * exactly one valid Host header (RFC 9112 §3.2), or an HTTP/2 one without :authority, is a 400; a
 * request target that is not a path (such as {@code *}) a 404. Several Host headers or an empty
 * one, which Vert.x would let through, are refused here the same way. Left to Quarkus' error handler,
 * these answers would carry the exception's class and message, in dev mode its stack trace and
 * error page, and every one of them would be logged as an error.
 *
 * <p>Any other request the HTTP layer fails with a client-error status is answered the same way.
 * 401 and 403 stay with the security layer (they carry its challenge), and failures without a
 * client-error status are left to Quarkus' handler (the REST layer's mappers answer before).
 */
@Singleton
public class RefusedBeforeRouting {

    private static final Logger LOG = Logger.getLogger(RefusedBeforeRouting.class);

    void api(@Observes Router router) {
        install(router);
    }

    /** The management port too: its answers carry no class names either. */
    void management(@Observes ManagementInterface management) {
        install(management.router());
    }

    private static void install(Router router) {
        // Vert.x takes the first of several Host headers, and an empty one; RFC 9112 §3.2 makes both a 400
        // (an http URI always has a host).
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            List<String> hosts = context.request().headers().getAll(HttpHeaders.HOST);
            if (hosts.size() > 1 || (hosts.size() == 1 && hosts.get(0).isBlank())) {
                context.fail(400);
                return;
            }
            context.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            int status = context.statusCode();
            if (status < 400 || status >= 500 || status == 401 || status == 403 || context.response().headWritten()) {
                context.next();
                return;
            }
            LOG.debugf(context.failure(), "Refused before routing with %d", status);
            ProblemMapper.send(context.response(), Problem.of(status, ProblemMapper.reason(status),
                    ProblemMapper.code(status), detail(status)));
        });
    }

    private static String detail(int status) {
        return status == 400
                ? "The request line or its Host header is malformed; an HTTP/1.1 request needs exactly one valid Host header."
                : ProblemMapper.reason(status);
    }
}
