package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;
import static app.cruddur.messages.table.Keys.uuid;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * That a member's read marker moved, kept for a while for one user to be told: pk
 * {@code READ#{notified user}}, sk {@code {time}#{conversation}} (the time the marker moved). The
 * reader is told (their other tabs clear their badge, {@code unread} says to what) and, when the
 * reader shares the receipt, the other member (for "Seen"). Written together with the marker
 * (ListEntryItem pattern M); a resumed event stream replays them; {@code expires_at} (the table's TTL)
 * removes them after the events' resume window.
 *
 * <p>Access pattern: R {@link #replaySince}.
 */
public record ReadReceiptItem(UUID notifiedUuid, Instant at, UUID conversationUuid, UUID readerUuid, Instant readThrough,
                              Optional<Integer> unread, Instant expiresAt) {

    /** pk {@code READ#{user}}: a user's receipts, oldest first. */
    public static final String PREFIX = "READ#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "read receipt");

    /** Not message_group_uuid: that attribute would put receipts into the group index, which holds list entries only. */
    public static final String CONVERSATION_UUID = "conversation_uuid";
    public static final String READER_UUID = "reader_uuid";

    public ReadReceiptItem {
        at = Timestamps.truncate(at);
        readThrough = Timestamps.truncate(readThrough);
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
        item.put(CONVERSATION_UUID, s(conversationUuid));
        item.put(READER_UUID, s(readerUuid));
        item.put(ListEntryItem.READ_THROUGH, s(Timestamps.format(readThrough)));
        unread.ifPresent(count -> item.put(ListEntryItem.UNREAD, AttributeValue.fromN(Integer.toString(count))));
        item.put(MessagesTable.TIME_TO_LIVE, Keys.expiry(expiresAt));
        return item;
    }

    public static ReadReceiptItem from(Map<String, AttributeValue> item) {
        AttributeValue unread = item.get(ListEntryItem.UNREAD);
        return new ReadReceiptItem(KEY.partitionOf(item), Keys.timeOf(string(item, MessagesTable.SK)), uuid(item, CONVERSATION_UUID),
                uuid(item, READER_UUID), Timestamps.require(string(item, ListEntryItem.READ_THROUGH)),
                unread == null ? Optional.empty() : Optional.of(Integer.parseInt(unread.n())), Keys.expiryOf(item));
    }

    // --- R: what a resumed event stream missed ----------------------------------------------------

    /** Pattern R: up to {@code limit} of a user's receipts from a time on, oldest first, strongly consistent. */
    public static Uni<List<ReadReceiptItem>> replaySince(TableClient table, UUID notified, String fromSk, int limit) {
        return table.query(sinceRequest(table.table(), notified, fromSk, limit), ReadReceiptItem::from);
    }

    public static QueryRequest sinceRequest(String table, UUID notified, String fromSk, int limit) {
        return TableClient.oldestFirstSince(table, partition(notified), fromSk, limit);
    }
}
