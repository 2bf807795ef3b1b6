package app.cruddur.messages.tools;

/** A failure a tool reports as one line and a non-zero exit code, never as a stack trace. */
public class ToolException extends RuntimeException {

    /** Wrong arguments. */
    public static final int USAGE = 2;
    /** The store answered no, or could not be reached. */
    public static final int FAILED = 1;

    private final int exitCode;

    public ToolException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
