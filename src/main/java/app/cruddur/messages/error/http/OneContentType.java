package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * A POST says what its body is, once. The REST layer would read a body without a Content-Type as
 * JSON anyway, and of two Content-Type headers it would look at the first only; both are 415
 * {@code unsupported_media_type} instead, as is a value that lists several types. Runs after the
 * request has matched an endpoint (so an unknown path is still a 404, a wrong method a 405) and
 * before the body is read.
 */
public class OneContentType {

    private final Map<String, Boolean> bodiless = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public Response check(HttpServerRequest request, SimpleResourceInfo resource) {
        if (request.method() != HttpMethod.POST) {
            return null;
        }
        List<String> values = request.headers().getAll(HttpHeaders.CONTENT_TYPE);
        if (values.size() == 1 && !values.get(0).isBlank() && values.get(0).indexOf(',') < 0) {
            return null;
        }
        if (values.isEmpty() && takesNoBody(resource) && sentNoBody(request)) {
            // POST /api/events/ticket, POST /api/users/@{handle}/block: nothing to describe.
            return null;
        }
        String detail = values.isEmpty()
                ? "Say what the body is: Content-Type: application/json."
                : "Send one Content-Type header with one media type: application/json.";
        return ProblemMapper.problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail, List.of());
    }

    /** Whether the endpoint has no body parameter: every parameter it takes is from the path, the query, a header or the context. */
    private boolean takesNoBody(SimpleResourceInfo resource) {
        if (resource == null) {
            return false;
        }
        if (resource.parameterTypes().length == 0) {
            return true;
        }
        return bodiless.computeIfAbsent(resource.getResourceClass().getName() + "#" + resource.getMethodName()
                + java.util.Arrays.toString(resource.parameterTypes()), key -> noBodyParameter(resource));
    }

    private static boolean noBodyParameter(SimpleResourceInfo resource) {
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            for (Annotation[] annotations : method.getParameterAnnotations()) {
                boolean fromRequest = false;
                for (Annotation annotation : annotations) {
                    fromRequest |= annotation instanceof PathParam || annotation instanceof QueryParam
                            || annotation instanceof HeaderParam || annotation instanceof Context;
                }
                if (!fromRequest) {
                    return false;
                }
            }
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean sentNoBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.trim().equals("0"));
    }
}
