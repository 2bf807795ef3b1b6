package app.cruddur.messages.error;

import java.util.List;

/** A failure the client should see as a problem with a status and a machine-readable code. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<String> errors;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    public ApiException(int status, String code, String detail, Throwable cause) {
        this(status, code, detail, List.of(), cause);
    }

    protected ApiException(int status, String code, String detail, List<String> errors, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The individual machine-readable reasons, for failures that have several (validation). */
    public List<String> errors() {
        return errors;
    }
}
