package app.cruddur.messages.table;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The key of one conversation's message texts. Every attribute that holds a message's text (a
 * message's {@code message}, a list entry's copy of its last message, the message an idempotency
 * record keeps) stores it sealed: {@value #SEALED} and the AEAD ciphertext in base64, still a
 * string attribute. The ciphertext is bound to the conversation and the message's sent time (the
 * message's key in the table, which every copy of it carries: a list entry's sort key, an event's
 * id), so a ciphertext copied into another conversation's item, or another message's, does not open.
 * The implementation lives in cipher/; the items only call it.
 */
public interface TextKey {

    /** How a sealed text begins; anything else in a text attribute was stored before texts were sealed. */
    String SEALED = "c1:";

    /** The text as the table stores it. */
    String seal(UUID conversationUuid, Instant sentAt, String text);

    /**
     * The text of a stored value: a sealed one opened, a plain one (written before texts were sealed)
     * as it is when plain texts are still accepted; empty when it does not open.
     */
    Optional<String> open(UUID conversationUuid, Instant sentAt, String stored);

    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(SEALED);
    }
}
