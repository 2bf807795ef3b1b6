package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;
import static app.cruddur.messages.table.Keys.uuid;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * That a message was edited or deleted, kept for a while for one member to be told: pk
 * {@code CHANGE#{notified user}}, sk {@code {time}#{conversation}} (when it changed). It names the
 * message (its conversation and sent time) and never holds its text: a resumed event stream reads
 * the message as it is now. Written together with the change (MessageItem pattern X); {@code
 * expires_at} (the table's TTL) removes it after the events' resume window.
 *
 * <p>Access pattern: R {@link #replaySince}.
 */
public record MessageChangeItem(UUID notifiedUuid, Instant at, UUID conversationUuid, Instant messageCreatedAt, boolean deleted,
                                Instant expiresAt) {

    /** pk {@code CHANGE#{user}}: a user's message changes, oldest first. */
    public static final String PREFIX = "CHANGE#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "message change");

    public static final String MESSAGE_CREATED_AT = "message_created_at";
    public static final String CHANGE = "change";
    private static final String EDITED = "edited";
    private static final String DELETED = "deleted";

    public MessageChangeItem {
        at = Timestamps.truncate(at);
        messageCreatedAt = Timestamps.truncate(messageCreatedAt);
    }

    public static String partition(UUID notifiedUuid) {
        return KEY.of(notifiedUuid);
    }

    public String pk() {
        return partition(notifiedUuid);
    }

    public String sk() {
        return Keys.timed(at, conversationUuid);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PK, s(pk()));
        item.put(MessagesTable.SK, s(sk()));
        item.put(ReadReceiptItem.CONVERSATION_UUID, s(conversationUuid));
        item.put(MESSAGE_CREATED_AT, s(Timestamps.format(messageCreatedAt)));
        item.put(CHANGE, s(deleted ? DELETED : EDITED));
        item.put(MessagesTable.TIME_TO_LIVE, Keys.expiry(expiresAt));
        return item;
    }

    public static MessageChangeItem from(Map<String, AttributeValue> item) {
        return new MessageChangeItem(KEY.partitionOf(item), Keys.timeOf(string(item, MessagesTable.SK)),
                uuid(item, ReadReceiptItem.CONVERSATION_UUID), Timestamps.require(string(item, MESSAGE_CREATED_AT)),
                DELETED.equals(string(item, CHANGE)), Keys.expiryOf(item));
    }

    // --- R: what a resumed event stream missed ----------------------------------------------------

    /** Pattern R: up to {@code limit} of a user's message changes from a time on, oldest first, strongly consistent. */
    public static Uni<List<MessageChangeItem>> replaySince(TableClient table, UUID notified, String fromSk, int limit) {
        return table.query(sinceRequest(table.table(), notified, fromSk, limit), MessageChangeItem::from);
    }

    public static QueryRequest sinceRequest(String table, UUID notified, String fromSk, int limit) {
        return TableClient.oldestFirstSince(table, partition(notified), fromSk, limit);
    }
}
