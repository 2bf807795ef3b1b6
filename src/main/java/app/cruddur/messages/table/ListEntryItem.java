package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;
import static app.cruddur.messages.table.Keys.uuid;

import app.cruddur.messages.table.TableClient.Outcome;
import app.cruddur.messages.table.TableClient.Page;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * One member's entry in their conversation list: pk {@code GRP#{owner}}, sk the last reply time,
 * so a Query on the owner's pk lists conversations newest first. It copies the last message and
 * the <em>other</em> member's handle and display name, so the list needs no further reads. The copy
 * is the message's sealed text as it is (bound to the conversation and the last reply's time, which is
 * the message's): whoever moves an entry never opens it. Its
 * {@code message_group_uuid} puts it in the sparse group index, where the entries of one
 * conversation are found together.
 *
 * <p>Access patterns: A {@link #listConversations}, R {@link #replaySince}, C and E
 * {@link #ofConversation} and {@link #move} (the rule that drives them is projection/ListEntryMoves).
 */
public record ListEntryItem(UUID ownerUserUuid, Instant lastReplyAt, UUID conversationUuid, String message,
                           UUID otherUserUuid, String otherDisplayName, String otherHandle) {

    /** pk {@code GRP#{owner_user_uuid}}, sk the last reply's time ({@link Timestamps}), as the reference lays them out. */
    public static final String PREFIX = "GRP#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "list entry");

    public ListEntryItem {
        lastReplyAt = Timestamps.truncate(lastReplyAt);
    }

    public static String partition(UUID ownerUserUuid) {
        return KEY.of(ownerUserUuid);
    }

    /** The owner of a list entry's pk, if it is one. */
    public static Optional<UUID> ownerOf(String pk) {
        return KEY.parse(pk);
    }

    public String pk() {
        return partition(ownerUserUuid);
    }

    public String sk() {
        return Timestamps.format(lastReplyAt);
    }

    /** The last message's text, opened with the conversation's key; empty when it does not open. */
    public Optional<String> text(TextKey key) {
        return key.open(conversationUuid, lastReplyAt, message);
    }

    /** This member's entry moved to a newer last reply ({@code newMessage} as stored: sealed for that reply's time). */
    public ListEntryItem movedTo(Instant newLastReplyAt, String newMessage) {
        return new ListEntryItem(ownerUserUuid, newLastReplyAt, conversationUuid, newMessage, otherUserUuid, otherDisplayName, otherHandle);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PK, s(pk()));
        item.put(MessagesTable.SK, s(sk()));
        item.put(MessagesTable.MESSAGE_GROUP_UUID, s(conversationUuid));
        item.put(MessagesTable.MESSAGE, s(message));
        item.put(MessagesTable.USER_UUID, s(otherUserUuid));
        item.put(MessagesTable.USER_DISPLAY_NAME, s(otherDisplayName));
        item.put(MessagesTable.USER_HANDLE, s(otherHandle));
        return item;
    }

    public static ListEntryItem from(Map<String, AttributeValue> item) {
        return new ListEntryItem(KEY.partitionOf(item), Timestamps.require(string(item, MessagesTable.SK)),
                uuid(item, MessagesTable.MESSAGE_GROUP_UUID), string(item, MessagesTable.MESSAGE), uuid(item, MessagesTable.USER_UUID),
                string(item, MessagesTable.USER_DISPLAY_NAME), string(item, MessagesTable.USER_HANDLE));
    }

    // --- A: a user's conversations -------------------------------------------------------------

    /**
     * Pattern A: a user's conversations, newest reply first. One Query on the table,
     * {@code pk = GRP#{user}}, optionally {@code sk < cursor}. Reads {@code limit + 1} entries, so the
     * caller knows whether an older page exists without a second call. Strongly consistent and never
     * through DAX, so that it sees every move a POST made before it answered (read-your-writes),
     * whichever replica or service instance serves it.
     */
    public static Uni<Page<ListEntryItem>> listConversations(TableClient table, UUID owner, Optional<String> beforeSk, int limit) {
        return table.page(listRequest(table.table(), owner, beforeSk, limit), limit, false, ListEntryItem::from);
    }

    public static QueryRequest listRequest(String table, UUID owner, Optional<String> beforeSk, int limit) {
        return TableClient.newestFirst(table, partition(owner), beforeSk, limit).toBuilder().consistentRead(true).build();
    }

    // --- R: what a resumed event stream missed ----------------------------------------------------

    /**
     * Pattern R: up to {@code limit} of a user's list entries from a time on, oldest first. One
     * strongly consistent Query, {@code pk = GRP#{owner} AND sk >= from}: what it reads is what
     * changed since, never the whole list.
     */
    public static Uni<List<ListEntryItem>> replaySince(TableClient table, UUID owner, String fromSk, int limit) {
        return table.query(sinceRequest(table.table(), owner, fromSk, limit), ListEntryItem::from);
    }

    public static QueryRequest sinceRequest(String table, UUID owner, String fromSk, int limit) {
        return TableClient.oldestFirstSince(table, partition(owner), fromSk, limit);
    }

    // --- C and E: the entries follow a new message --------------------------------------------------

    /**
     * Patterns C and E: the list entries of one conversation, one per member, through the sparse index
     * (HASH message_group_uuid). Eventually consistent (an index offers nothing else): a move re-reads
     * after it failed.
     */
    public static Uni<List<ListEntryItem>> ofConversation(TableClient table, UUID conversationUuid) {
        return table.query(ofConversationRequest(table.table(), table.groupIndex(), conversationUuid), ListEntryItem::from);
    }

    public static QueryRequest ofConversationRequest(String table, String groupIndex, UUID conversationUuid) {
        return QueryRequest.builder()
                .tableName(table)
                .indexName(groupIndex)
                .keyConditionExpression("#g = :g")
                .expressionAttributeNames(Map.of("#g", MessagesTable.MESSAGE_GROUP_UUID))
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(conversationUuid.toString())))
                .build();
    }

    /**
     * Patterns C and E: entries to a newer last reply, each old entry deleted and its new one put, all or
     * nothing. WRITTEN; ENTRY_TIME_TAKEN when a new key holds an entry of another conversation; ENTRIES_MOVED
     * when an entry moved meanwhile.
     */
    public static Uni<Outcome> move(TableClient table, List<ListEntryItem> from, List<ListEntryItem> to) {
        return table.transact(moveRequest(table.table(), from, to),
                reasons -> collided(reasons, from.size()) ? Outcome.ENTRY_TIME_TAKEN
                        : reasons.stream().anyMatch(TableClient::conditionFailed) ? Outcome.ENTRIES_MOVED
                        : null);
    }

    /**
     * Each old entry is deleted only if it is still there, and each new entry is put only where nothing
     * is, so a move that lost a race is cancelled whole and no member ever has zero or two entries for a
     * conversation. Slots: the {@code from.size()} deletes, then the puts in the same order.
     */
    public static TransactWriteItemsRequest moveRequest(String table, List<ListEntryItem> from, List<ListEntryItem> to) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (ListEntryItem entry : from) {
            items.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(table)
                    .key(Keys.key(entry.pk(), entry.sk()))
                    .conditionExpression("attribute_exists(" + MessagesTable.PK + ")")
                    .build()).build());
        }
        for (ListEntryItem entry : to) {
            items.add(TableClient.putIfFree(table, entry.toItem()));
        }
        return TableClient.transaction(items);
    }

    /**
     * Whether a moved entry's new key was taken while the entry it replaces was still in place (slot
     * {@code i} the delete, {@code moved + i} its put). A put that failed together with its delete
     * means another mover got there first, not a collision.
     */
    static boolean collided(List<CancellationReason> reasons, int moved) {
        for (int i = 0; i < moved && moved + i < reasons.size(); i++) {
            boolean deleteHeld = !TableClient.conditionFailed(reasons.get(i));
            boolean putBlocked = TableClient.conditionFailed(reasons.get(moved + i));
            if (deleteHeld && putBlocked) {
                return true;
            }
        }
        return false;
    }
}
