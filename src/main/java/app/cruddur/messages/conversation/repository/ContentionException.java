package app.cruddur.messages.conversation.repository;

/** Writes kept colliding with concurrent ones; nothing was stored and the client may retry. */
public class ContentionException extends RuntimeException {

    public ContentionException(Throwable cause) {
        super("Too many concurrent writes to this conversation; retry shortly", cause, false, false);
    }
}
