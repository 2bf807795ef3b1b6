package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into problem documents: the one place where errors meet HTTP. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /**
     * The answers the service could not give (5xx), by code and by the part that failed: the rate
     * of 5xx and of 503s by cause, {@code cruddur_http_failures_total} at /q/metrics (infra alarms on it).
     */
    public static final String FAILURES_METRIC = "cruddur.http.failures";

    private final AllowedMethods allowedMethods;
    private final MeterRegistry metrics;

    public ProblemMapper(AllowedMethods allowedMethods, MeterRegistry metrics) {
        this.allowedMethods = allowedMethods;
        this.metrics = metrics;
    }

    private void count(ErrorCode code, String part) {
        metrics.counter(FAILURES_METRIC, "code", code.code(), "part", part).increment();
    }

    /**
     * A bearer token that failed verification (also the frontend's signed-out "Bearer null"). The
     * framework's reason can name the app client or the issuer, so it is logged, never sent.
     */
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e, HttpHeaders headers, HttpServerResponse raw) {
        LOG.debugf("Token rejected: %s", e.getMessage());
        // The OIDC mechanism has already put its own bare challenge on the response; ours replaces it.
        raw.headers().remove(Challenges.WWW_AUTHENTICATE);
        return unauthorized(headers);
    }

    /** No identity where one is required: no token, or another scheme than Bearer. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, HttpHeaders headers) {
        return unauthorized(headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(ErrorCode.FORBIDDEN, "This account may not do this.", List.of());
    }

    private static Response unauthorized(HttpHeaders headers) {
        boolean tokenSent = Challenges.hasBearerToken(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        Response.ResponseBuilder response = tokenSent
                ? problemBuilder(ErrorCode.INVALID_TOKEN, "The access token is invalid or has expired; sign in again.", List.of())
                : problemBuilder(ErrorCode.UNAUTHENTICATED, "Send a Cognito access token as Authorization: Bearer <token>.", List.of());
        return response.header(Challenges.WWW_AUTHENTICATE, tokenSent ? Challenges.INVALID : Challenges.MISSING).build();
    }

    /**
     * Every failure that knows its code, the features' own included (DynamoDB or PostgreSQL
     * unavailable, write contention, lists not updated: 503 with Retry-After, logged with the cause).
     */
    @ServerExceptionMapper
    public Response api(ApiException e) {
        if (e.status() >= 500) {
            warn(e);
            count(e.code(), e.failedPart());
        }
        if (e.status() == 401) {
            // A 401 always names a scheme (RFC 9110): a bad ticket asks for a token or a new ticket.
            return problemBuilder(e.code(), e.getMessage(), e.errors()).header(Challenges.WWW_AUTHENTICATE, Challenges.MISSING).build();
        }
        Response.ResponseBuilder response = problemBuilder(e.code(), e.getMessage(), e.errors());
        e.headers().forEach(response::header);
        return response.build();
    }

    /**
     * Anything else is a bug of ours: logged with its stack trace under an id, answered as a bare
     * 500 problem that names neither a class nor a message (in every profile, dev mode included).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "Request failed (error id %s)", id);
        count(ErrorCode.INTERNAL_ERROR, "service");
        return problem(ErrorCode.INTERNAL_ERROR, "The request failed (error id " + id + ").", List.of());
    }

    /** A failure on our side or a dependency's, with its cause (the caller's answer carries neither). */
    private static void warn(RuntimeException e) {
        LOG.warnf("%s: %s", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
    }

    /** A body that is not JSON, or JSON of the wrong shape or types. */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return malformedBody();
    }

    /** Wrong shape or types; Jackson's own, more specific failure (mapped here so that it answers as a problem too). */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedBody();
    }

    @ServerExceptionMapper
    public Response brokenJson(StreamReadException e) {
        return malformedBody();
    }

    /** What the HTTP layer rejects before our code runs: unknown paths, wrong methods and media types. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException) {
            return malformedBody();
        }
        Set<String> methods = status == 404 || status == 405 ? allowedMethods.methods(uri.getPath()) : Set.of();
        if (status == 404 && !methods.isEmpty() && !methods.contains(request.method().name())) {
            // A path of ours that another resource's path shadows (/api/users/{handle}/block under
            // /api/users/{handle}/...) reaches the router as no match; it is a wrong method all the same.
            status = 405;
        }
        if (status >= 500) {
            LOG.warn("request failed", e);
        }
        ErrorCode code = code(status);
        String detail = status >= 500 ? "The request failed." : reason(status);
        Response.ResponseBuilder response = problemBuilder(status, code, detail, List.of());
        if (status == 405 && !methods.isEmpty()) {
            response.header(HttpHeaders.ALLOW, String.join(", ", methods));
        }
        return response.build();
    }

    /** The code of a problem the HTTP layer answers, by its status. */
    static ErrorCode code(int status) {
        return switch (status) {
            case 400 -> ErrorCode.MALFORMED_REQUEST;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.REQUEST_REJECTED;
        };
    }

    private static Response malformedBody() {
        return problem(ErrorCode.MALFORMED_BODY, "The body must be a JSON object with string fields.", List.of());
    }

    /** A problem answered from the HTTP layer, before any resource: the same document as the mappers send. */
    static void send(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    /** A problem with the code's own status. */
    static Response problem(ErrorCode code, String detail, List<ErrorCode> errors) {
        return problemBuilder(code, detail, errors).build();
    }

    private static Response.ResponseBuilder problemBuilder(ErrorCode code, String detail, List<ErrorCode> errors) {
        return problemBuilder(code.status(), code, detail, errors);
    }

    /** For the codes that stand for a range of statuses (request_rejected, internal_error). */

    private static Response.ResponseBuilder problemBuilder(int status, ErrorCode code, String detail, List<ErrorCode> errors) {
        Response.ResponseBuilder response = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, reason(status), code, detail, errors));
        if (status == 503) {
            response.header("Retry-After", "1");
        }
        return response;
    }

    static String reason(int status) {
        if (status == 422) {
            return "Unprocessable Content";
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
