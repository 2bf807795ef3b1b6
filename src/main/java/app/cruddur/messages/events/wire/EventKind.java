package app.cruddur.messages.events.wire;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageChangeItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.ReadReceiptItem;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of event a user's event stream carries, each declared once: its SSE {@code event}
 * name, the tag in its {@link EventId}, and (below) the item it shows and where a resumed event
 * stream reads what it missed. The order of the constants is the order of two events at one time:
 * a message before the list change it causes.
 */
public enum EventKind {

    /**
     * A message posted into one of the user's conversations (data: a {@code Message}). Replayed from
     * the messages after the resume point of each conversation whose list entry moved after it
     * ({@link MessageItem#replaySince}).
     */
    MESSAGE(EventKind.MESSAGE_NAME, "m"),

    /**
     * An entry of the user's conversation list moved to a newer message (data: a {@code MessageGroup},
     * the API's name for it). Replayed from the user's entries after the resume point
     * ({@link ListEntryItem#replaySince}).
     */
    LIST_ENTRY(EventKind.LIST_ENTRY_NAME, "g"),

    /**
     * A member's read marker of one of the user's conversations moved: the user's own (from another
     * tab) or the other member's shared one (data: a {@code ReadReceipt}). Replayed from the user's
     * receipts after the resume point ({@link ReadReceiptItem#replaySince}).
     */
    READ(EventKind.READ_NAME, "r"),

    /**
     * A message of one of the user's conversations was edited by its sender (data: a {@code Message}
     * with {@code edited_at}). Replayed from the user's message changes ({@link MessageChangeItem#replaySince}).
     */
    MESSAGE_UPDATED(EventKind.MESSAGE_UPDATED_NAME, "u"),

    /** A message was deleted by its sender (data: a {@code Message} with {@code deleted_at}, its text gone). Replayed as above. */
    MESSAGE_DELETED(EventKind.MESSAGE_DELETED_NAME, "x"),

    /**
     * The other member is typing in one of the user's conversations (data: a {@code Typing}). Never
     * stored, so never replayed: it only matters for a few seconds.
     */
    TYPING(EventKind.TYPING_NAME, "t");

    /** The SSE names, for the OpenAPI document's constant texts. */
    public static final String MESSAGE_NAME = "message";
    public static final String LIST_ENTRY_NAME = "message_group";
    public static final String READ_NAME = "read";
    public static final String MESSAGE_UPDATED_NAME = "message_updated";
    public static final String MESSAGE_DELETED_NAME = "message_deleted";
    public static final String TYPING_NAME = "typing";

    private final String sseName;
    private final String tag;

    EventKind(String sseName, String tag) {
        this.sseName = sseName;
        this.tag = tag;
    }

    /** The SSE {@code event} field. */
    public String sseName() {
        return sseName;
    }

    /** Its part of an {@link EventId}: {@code <time>/<tag>/<conversation>}. */
    public String tag() {
        return tag;
    }

    public static Optional<EventKind> named(String sseName) {
        return Arrays.stream(values()).filter(kind -> kind.sseName.equals(sseName)).findFirst();
    }

    public static Optional<EventKind> tagged(String tag) {
        return Arrays.stream(values()).filter(kind -> kind.tag.equals(tag)).findFirst();
    }
}
