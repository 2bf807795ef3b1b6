package app.cruddur.messages.conversation.repository;

/** The two users already have a conversation: post into it instead. */
public class PairTakenException extends RuntimeException {

    public PairTakenException() {
        super("the pair already has a conversation", null, false, false);
    }
}
