package app.cruddur.messages.postgres;

/** A login cannot be ensured as configured; the message says why and what to change. */
public class ApplicationLoginException extends RuntimeException {

    public ApplicationLoginException(String message) {
        super(message, null, false, false);
    }
}
