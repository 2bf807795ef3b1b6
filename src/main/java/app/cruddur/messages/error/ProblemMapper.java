package app.cruddur.messages.error;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns domain failures into problem documents: the one place where errors meet HTTP. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        if (e.status() >= 500) {
            LOG.warnf("%s: %s", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
        }
        Response.Status status = Response.Status.fromStatusCode(e.status());
        String title = status == null ? "Error" : status.getReasonPhrase();
        Response.ResponseBuilder response = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(e.status(), title, e.code(), e.getMessage()));
        if (e.status() == 503) {
            response.header("Retry-After", "1");
        }
        return response.build();
    }
}
