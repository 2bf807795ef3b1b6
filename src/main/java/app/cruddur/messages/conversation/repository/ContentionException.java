package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;

/** Writes kept colliding with concurrent ones; nothing was stored and the client may retry. */
public class ContentionException extends ApiException {

    public ContentionException(Throwable cause) {
        super(ErrorCode.WRITE_CONTENTION, "Too many concurrent writes to this conversation; retry shortly", cause);
    }
}
