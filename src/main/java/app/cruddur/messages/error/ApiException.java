package app.cruddur.messages.error;

import java.util.List;
import java.util.Map;

/** A failure the client should see as a problem with a status and a machine-readable code. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final List<ErrorCode> errors;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public ApiException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, List.of(), cause);
    }

    protected ApiException(ErrorCode code, String detail, List<ErrorCode> errors, Throwable cause) {
        super(detail, cause, false, false);
        if (code.isRule()) {
            throw new IllegalArgumentException(code + " is a rule, not a problem");
        }
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return code.status();
    }

    public ErrorCode code() {
        return code;
    }

    /** Headers the problem answer carries besides its own (a 429's limit and Retry-After). */
    public Map<String, String> headers() {
        return Map.of();
    }

    /**
     * What failed when the service could not answer (a 5xx): the dependency that was unreachable or
     * silent ({@code dynamodb}, {@code postgresql}, {@code redis}), else {@code service}. A label of
     * the failures' metric (error/http/ProblemMapper).
     */
    public String failedPart() {
        return "service";
    }

    /** The individual machine-readable reasons, for failures that have several (validation). */
    public List<ErrorCode> errors() {
        return errors;
    }
}
