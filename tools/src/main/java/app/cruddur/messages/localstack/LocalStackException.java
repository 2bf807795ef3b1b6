package app.cruddur.messages.localstack;

/** The local stack could not start or answer; its message is one line meant for a developer. */
public final class LocalStackException extends RuntimeException {

    public LocalStackException(String message) {
        super(message, null, false, false);
    }
}
