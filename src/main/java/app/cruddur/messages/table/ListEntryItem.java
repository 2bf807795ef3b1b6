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
import software.amazon.awssdk.services.dynamodb.model.Put;
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
 *
 * <p>It also holds its owner's read marker of the conversation ({@link Reading}): how far they have
 * read, how far the other member may see that they have read, and how many of the other member's
 * messages came after it. The count lives here, so the list shows it without a read per row; whoever
 * writes an entry conditions the write on its {@code read_version}, so no two writers ever lose each
 * other's change.
 *
 * <p>Access patterns: A {@link #listConversations}, R {@link #replaySince}, C and E
 * {@link #ofConversation} and {@link #move} (the rule that drives them is projection/ListEntryMoves),
 * M {@link #mark} (a read marker moved), U {@link #allOf} (the unread totals).
 */
public record ListEntryItem(UUID ownerUserUuid, Instant lastReplyAt, UUID conversationUuid, String message,
                           UUID otherUserUuid, String otherDisplayName, String otherHandle, Reading reading) {

    /** Unread counts are exact up to this many less one; this many means "this many or more". */
    public static final int UNREAD_CAP = 100;

    public static final String READ_THROUGH = "read_through";
    public static final String SHARED_READ_THROUGH = "shared_read_through";
    public static final String UNREAD = "unread";
    public static final String READ_VERSION = "read_version";

    /**
     * The owner's read marker. {@code through}: the sent time of the newest message they have read
     * (null on an entry written before read markers existed: then everything up to its last reply
     * counts as read). {@code sharedThrough}: the newest marker they let the other member see (null:
     * none yet). {@code unread}: the other member's messages sent after {@code through}, at most
     * {@link #UNREAD_CAP}. {@code version}: raised by every write of the entry (0: never written with one).
     */
    public record Reading(Instant through, Instant sharedThrough, int unread, long version) {

        /** An entry written before read markers existed. */
        public static final Reading UNRECORDED = new Reading(null, null, 0, 0);

        public Reading {
            through = through == null ? null : Timestamps.truncate(through);
            sharedThrough = sharedThrough == null ? null : Timestamps.truncate(sharedThrough);
            if (unread < 0 || unread > UNREAD_CAP) {
                throw new IllegalArgumentException("unread out of range: " + unread);
            }
        }

        /** A new marker: read through {@code through}, shared as far as {@code sharedThrough}, {@code unread} after it. */
        public static Reading of(Instant through, Instant sharedThrough, int unread) {
            return new Reading(through, sharedThrough, unread, 1);
        }

        public Reading withThrough(Instant newThrough, Instant newShared, int newUnread) {
            return new Reading(newThrough, newShared, newUnread, version);
        }

        Reading next() {
            return new Reading(through, sharedThrough, unread, version + 1);
        }
    }

    /** An entry written before read markers existed (tools, seeds, older tests). */
    public ListEntryItem(UUID ownerUserUuid, Instant lastReplyAt, UUID conversationUuid, String message,
                         UUID otherUserUuid, String otherDisplayName, String otherHandle) {
        this(ownerUserUuid, lastReplyAt, conversationUuid, message, otherUserUuid, otherDisplayName, otherHandle, Reading.UNRECORDED);
    }

    /** pk {@code GRP#{owner_user_uuid}}, sk the last reply's time ({@link Timestamps}), as the reference lays them out. */
    public static final String PREFIX = "GRP#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "list entry");

    public ListEntryItem {
        lastReplyAt = Timestamps.truncate(lastReplyAt);
        reading = reading == null ? Reading.UNRECORDED : reading;
    }

    /** The sent time of the newest message the owner has read (on an entry without a marker: its last reply). */
    public Instant readThrough() {
        return reading.through() != null ? reading.through() : lastReplyAt;
    }

    /** How far the other member may see that the owner has read, if at all. */
    public Optional<Instant> sharedReadThrough() {
        return Optional.ofNullable(reading.sharedThrough());
    }

    public int unread() {
        return reading.unread();
    }

    /** The same entry with another read marker. */
    public ListEntryItem reading(Reading newReading) {
        return new ListEntryItem(ownerUserUuid, lastReplyAt, conversationUuid, message, otherUserUuid, otherDisplayName, otherHandle,
                newReading);
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
        if (message.isEmpty()) {
            // The last message was deleted: its copy went with it.
            return Optional.empty();
        }
        return key.open(conversationUuid, lastReplyAt, message);
    }

    /** This member's entry moved to a newer last reply ({@code newMessage} as stored: sealed for that reply's time). */
    public ListEntryItem movedTo(Instant newLastReplyAt, String newMessage) {
        return new ListEntryItem(ownerUserUuid, newLastReplyAt, conversationUuid, newMessage, otherUserUuid, otherDisplayName, otherHandle,
                reading);
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
        if (reading.through() != null) {
            item.put(READ_THROUGH, s(Timestamps.format(reading.through())));
        }
        if (reading.sharedThrough() != null) {
            item.put(SHARED_READ_THROUGH, s(Timestamps.format(reading.sharedThrough())));
        }
        if (reading.version() > 0) {
            item.put(UNREAD, AttributeValue.fromN(Integer.toString(reading.unread())));
            item.put(READ_VERSION, AttributeValue.fromN(Long.toString(reading.version())));
        }
        return item;
    }

    public static ListEntryItem from(Map<String, AttributeValue> item) {
        return new ListEntryItem(KEY.partitionOf(item), Timestamps.require(string(item, MessagesTable.SK)),
                uuid(item, MessagesTable.MESSAGE_GROUP_UUID), string(item, MessagesTable.MESSAGE), uuid(item, MessagesTable.USER_UUID),
                string(item, MessagesTable.USER_DISPLAY_NAME), string(item, MessagesTable.USER_HANDLE), readingOf(item));
    }

    private static Reading readingOf(Map<String, AttributeValue> item) {
        AttributeValue version = item.get(READ_VERSION);
        if (version == null || version.n() == null) {
            return Reading.UNRECORDED;
        }
        AttributeValue through = item.get(READ_THROUGH);
        AttributeValue shared = item.get(SHARED_READ_THROUGH);
        AttributeValue unread = item.get(UNREAD);
        return new Reading(through == null ? null : Timestamps.require(through.s()), shared == null ? null : Timestamps.require(shared.s()),
                unread == null ? 0 : Math.min(UNREAD_CAP, Math.max(0, Integer.parseInt(unread.n()))), Long.parseLong(version.n()));
    }

    /**
     * The condition that the entry is still there as it was read: its key exists and its read marker
     * has the version this writer saw. Every writer of an existing entry (a move, a marker) makes it.
     */
    private static Map.Entry<String, Map<String, AttributeValue>> unchanged(ListEntryItem entry) {
        if (entry.reading.version() == 0) {
            return Map.entry("attribute_exists(" + MessagesTable.PK + ") AND attribute_not_exists(" + READ_VERSION + ")", Map.of());
        }
        return Map.entry("attribute_exists(" + MessagesTable.PK + ") AND " + READ_VERSION + " = :read_version",
                Map.of(":read_version", AttributeValue.fromN(Long.toString(entry.reading.version()))));
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
     * Per member, the newest of {@code listed} (entries of one conversation read through the group
     * index): a lagging index may still list an entry that has just been replaced.
     */
    public static Map<UUID, ListEntryItem> currentByOwner(List<ListEntryItem> listed) {
        Map<UUID, ListEntryItem> byOwner = new HashMap<>();
        for (ListEntryItem entry : listed) {
            byOwner.merge(entry.ownerUserUuid(), entry, (a, b) -> a.lastReplyAt().isAfter(b.lastReplyAt()) ? a : b);
        }
        return byOwner;
    }

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
     * Patterns C and E: entries to a newer last reply (or, where {@code to} keeps an entry's time, the
     * same entry with a new read marker), all or nothing. WRITTEN; ENTRY_TIME_TAKEN when a new key holds
     * an entry of another conversation; ENTRIES_MOVED when an entry moved or its marker changed meanwhile.
     */
    public static Uni<Outcome> move(TableClient table, List<ListEntryItem> from, List<ListEntryItem> to) {
        return table.transact(moveRequest(table.table(), from, to),
                reasons -> collided(reasons, from, to) ? Outcome.ENTRY_TIME_TAKEN
                        : reasons.stream().anyMatch(TableClient::conditionFailed) ? Outcome.ENTRIES_MOVED
                        : null);
    }

    /**
     * Each old entry is deleted only if it is still there as read (its marker's version unchanged), and
     * each new entry is put only where nothing is, so a move that lost a race is cancelled whole and no
     * member ever has zero or two entries for a conversation. An entry that keeps its time is replaced
     * under the same condition. Slots: the deletes of the moved entries, in order, then one put per
     * entry in the order given. Every entry written carries its marker's next version.
     */
    public static TransactWriteItemsRequest moveRequest(String table, List<ListEntryItem> from, List<ListEntryItem> to) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            if (moves(from.get(i), to.get(i))) {
                Map.Entry<String, Map<String, AttributeValue>> condition = unchanged(from.get(i));
                Delete.Builder delete = Delete.builder().tableName(table).key(Keys.key(from.get(i).pk(), from.get(i).sk()))
                        .conditionExpression(condition.getKey());
                if (!condition.getValue().isEmpty()) {
                    delete.expressionAttributeValues(condition.getValue());
                }
                items.add(TransactWriteItem.builder().delete(delete.build()).build());
            }
        }
        for (int i = 0; i < from.size(); i++) {
            ListEntryItem written = to.get(i).reading(from.get(i).reading.next().withThrough(to.get(i).reading.through(),
                    to.get(i).reading.sharedThrough(), to.get(i).reading.unread()));
            items.add(moves(from.get(i), to.get(i)) ? TableClient.putIfFree(table, written.toItem()) : replace(table, from.get(i), written));
        }
        return TableClient.transaction(items);
    }

    private static boolean moves(ListEntryItem from, ListEntryItem to) {
        return !from.lastReplyAt.equals(to.lastReplyAt);
    }

    private static TransactWriteItem replace(String table, ListEntryItem before, ListEntryItem after) {
        Map.Entry<String, Map<String, AttributeValue>> condition = unchanged(before);
        Put.Builder put = Put.builder().tableName(table).item(after.toItem()).conditionExpression(condition.getKey());
        if (!condition.getValue().isEmpty()) {
            put.expressionAttributeValues(condition.getValue());
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /**
     * Whether a moved entry's new key was taken while the entry it replaces was still in place (its
     * delete held and its put failed). A put that failed together with its delete means another mover
     * got there first, not a collision.
     */
    static boolean collided(List<CancellationReason> reasons, List<ListEntryItem> from, List<ListEntryItem> to) {
        int deletes = (int) java.util.stream.IntStream.range(0, from.size()).filter(i -> moves(from.get(i), to.get(i))).count();
        int delete = 0;
        for (int i = 0; i < from.size(); i++) {
            if (!moves(from.get(i), to.get(i))) {
                continue;
            }
            int put = deletes + i;
            if (put < reasons.size() && delete < reasons.size()
                    && !TableClient.conditionFailed(reasons.get(delete)) && TableClient.conditionFailed(reasons.get(put))) {
                return true;
            }
            delete++;
        }
        return false;
    }

    // --- M: a read marker moves ------------------------------------------------------------------

    /**
     * Pattern M: the owner's entry with a new read marker, only while the entry is still there as
     * read, together with {@code alongside} (the receipts of the change, for replays). WRITTEN, or
     * ENTRIES_MOVED when the entry moved or its marker changed meanwhile (read it again).
     */
    public static Uni<Outcome> mark(TableClient table, ListEntryItem before, Reading after, List<Map<String, AttributeValue>> alongside) {
        return table.transact(markRequest(table.table(), before, after, alongside),
                reasons -> TableClient.failed(reasons, 0) ? Outcome.ENTRIES_MOVED : null);
    }

    public static TransactWriteItemsRequest markRequest(String table, ListEntryItem before, Reading after,
                                                        List<Map<String, AttributeValue>> alongside) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(replace(table, before, before.reading(before.reading.next().withThrough(after.through(), after.sharedThrough(),
                after.unread()))));
        alongside.forEach(item -> items.add(TableClient.putIfFree(table, item)));
        return TableClient.transaction(items);
    }

    // --- U: the unread totals --------------------------------------------------------------------

    /**
     * Pattern U: every entry of the owner's list, for the unread totals: one strongly consistent Query
     * per 1 MB of entries (a list entry is about 300 bytes).
     */
    public static Uni<List<ListEntryItem>> allOf(TableClient table, UUID owner) {
        return table.queryAll(start -> allRequest(table.table(), owner, start), ListEntryItem::from);
    }

    public static QueryRequest allRequest(String table, UUID owner, Map<String, AttributeValue> start) {
        return TableClient.partition(table, partition(owner), start).toBuilder().consistentRead(true).build();
    }
}
