package app.cruddur.messages.conversation.repository;

/** An idempotency record exists for this caller and key: nothing was written by this request. */
public class IdempotencyKeyTakenException extends RuntimeException {

    public IdempotencyKeyTakenException() {
        super("idempotency key already used", null, false, false);
    }
}
