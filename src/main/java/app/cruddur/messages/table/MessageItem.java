package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;
import static app.cruddur.messages.table.Keys.uuid;

import app.cruddur.messages.table.TableClient.Outcome;
import app.cruddur.messages.table.TableClient.Page;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A message: pk {@code MSG#{group}}, sk its creation time. {@code message} is its text as stored,
 * sealed with the conversation's key ({@link #sealed}, {@link #text}). The sender's handle and display name are
 * copied in so that a page of messages needs no user lookups. There is deliberately no
 * {@code message_group_uuid} attribute: the group index stays sparse, holding list entries only.
 *
 * <p>Access patterns: B {@link #pageMessages}, R {@link #replaySince}, C {@link #put} and
 * {@link #putOnce}, T {@link #find} (a message by its time), X {@link #revise} (edited or deleted), N {@link #countAfter} (a member's unread messages).
 */
public record MessageItem(UUID conversationUuid, Instant createdAt, UUID messageUuid, String message,
                          UUID userUuid, String userDisplayName, String userHandle, Revision revision, String idempotencyKey,
                          String traceParent) {

    public static final String EDITED_AT = "edited_at";
    public static final String DELETED_AT = "deleted_at";
    public static final String MESSAGE_VERSION = "message_version";
    /** The Idempotency-Key the message was posted with: where its record (a copy of it) is found. */
    public static final String IDEMPOTENCY_KEY = "idempotency_key";
    /**
     * The trace of the request that last wrote the message (posted, edited or deleted it), as a W3C
     * {@code traceparent}, when that trace was sampled: the stream's consumers continue it
     * (docs/operations.md, "Following one message"). Never read by a request.
     */
    public static final String TRACE_PARENT = "trace_parent";

    /**
     * What became of a message after it was sent: when it was last edited, when it was deleted (its
     * text is then gone: {@code message} is empty), and its version, raised by each change (its ETag;
     * 0 for a message never changed).
     */
    public record Revision(Instant editedAt, Instant deletedAt, long version) {

        public static final Revision ORIGINAL = new Revision(null, null, 0);

        public Revision {
            editedAt = editedAt == null ? null : Timestamps.truncate(editedAt);
            deletedAt = deletedAt == null ? null : Timestamps.truncate(deletedAt);
        }
    }

    /** A message without a trace (see {@link #TRACE_PARENT}). */
    public MessageItem(UUID conversationUuid, Instant createdAt, UUID messageUuid, String message, UUID userUuid, String userDisplayName,
                       String userHandle, Revision revision, String idempotencyKey) {
        this(conversationUuid, createdAt, messageUuid, message, userUuid, userDisplayName, userHandle, revision, idempotencyKey, null);
    }

    /** A message as sent, never changed, posted without an Idempotency-Key. */
    public MessageItem(UUID conversationUuid, Instant createdAt, UUID messageUuid, String message, UUID userUuid, String userDisplayName,
                       String userHandle) {
        this(conversationUuid, createdAt, messageUuid, message, userUuid, userDisplayName, userHandle, Revision.ORIGINAL, null);
    }

    /** pk {@code MSG#{message_group_uuid}}, sk the created time ({@link Timestamps}), as the reference lays them out. */
    public static final String PREFIX = "MSG#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "message");

    public static final String MESSAGE_UUID = "message_uuid";

    public MessageItem {
        createdAt = Timestamps.truncate(createdAt);
        revision = revision == null ? Revision.ORIGINAL : revision;
    }

    public boolean isDeleted() {
        return revision.deletedAt() != null;
    }

    /** The same message with its text replaced by {@code text}, sealed for its own time; edited at {@code at}. */
    public MessageItem edited(TextKey key, String text, Instant at) {
        return new MessageItem(conversationUuid, createdAt, messageUuid, key.seal(conversationUuid, createdAt, text), userUuid,
                userDisplayName, userHandle, new Revision(at, null, revision.version() + 1), idempotencyKey);
    }

    /** The same message deleted at {@code at}: its text gone, everything else (its place, its id) kept. */
    public MessageItem deleted(Instant at) {
        return new MessageItem(conversationUuid, createdAt, messageUuid, "", userUuid, userDisplayName, userHandle,
                new Revision(revision.editedAt(), at, revision.version() + 1), idempotencyKey);
    }

    /** The same message as posted with this Idempotency-Key. */
    public MessageItem postedWith(String key) {
        return new MessageItem(conversationUuid, createdAt, messageUuid, message, userUuid, userDisplayName, userHandle, revision, key,
                traceParent);
    }

    /** The same message, written in the trace {@code traceParent} names (null: in none that is kept). */
    public MessageItem tracedBy(String traceParent) {
        return new MessageItem(conversationUuid, createdAt, messageUuid, message, userUuid, userDisplayName, userHandle, revision,
                idempotencyKey, traceParent);
    }

    public static String partition(UUID conversationUuid) {
        return KEY.of(conversationUuid);
    }

    /** The conversation of a message's pk, if it is one. */
    public static Optional<UUID> groupOf(String pk) {
        return KEY.parse(pk);
    }

    public String pk() {
        return partition(conversationUuid);
    }

    public String sk() {
        return Timestamps.format(createdAt);
    }

    /** A new message, its text sealed with its conversation's key ({@link TextKey}). */
    public static MessageItem sealed(TextKey key, UUID conversationUuid, Instant createdAt, UUID messageUuid, String text,
                                     UUID userUuid, String userDisplayName, String userHandle) {
        Instant at = Timestamps.truncate(createdAt);
        return new MessageItem(conversationUuid, at, messageUuid, key.seal(conversationUuid, at, text), userUuid,
                userDisplayName, userHandle, Revision.ORIGINAL, null);
    }

    /** The text, opened with its conversation's key; empty when it does not open, or the message was deleted. */
    public Optional<String> text(TextKey key) {
        if (isDeleted()) {
            return Optional.empty();
        }
        return key.open(conversationUuid, createdAt, message);
    }

    /**
     * The same message under another sort key (when its first one was taken), its text sealed again
     * for the new time (a text stored before texts were sealed stays as it is).
     */
    public MessageItem at(Instant newCreatedAt, TextKey key) {
        Instant at = Timestamps.truncate(newCreatedAt);
        String stored = message;
        if (TextKey.isSealed(message)) {
            String text = text(key).orElseThrow(() -> new IllegalStateException("the text of message " + messageUuid
                    + " does not open with its conversation's key"));
            stored = key.seal(conversationUuid, at, text);
        }
        return new MessageItem(conversationUuid, at, messageUuid, stored, userUuid, userDisplayName, userHandle, revision, idempotencyKey,
                traceParent);
    }

    /**
     * Whether {@code item} (the one that held this message's key when its put failed) is this very
     * message, written by an earlier attempt of the same put whose answer was lost.
     */
    public boolean isStoredAs(Map<String, AttributeValue> item) {
        AttributeValue uuid = item == null ? null : item.get(MESSAGE_UUID);
        return uuid != null && messageUuid.toString().equals(uuid.s());
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PK, s(pk()));
        item.put(MessagesTable.SK, s(sk()));
        item.put(MESSAGE_UUID, s(messageUuid));
        item.put(MessagesTable.MESSAGE, s(message));
        item.put(MessagesTable.USER_UUID, s(userUuid));
        item.put(MessagesTable.USER_DISPLAY_NAME, s(userDisplayName));
        item.put(MessagesTable.USER_HANDLE, s(userHandle));
        if (revision.editedAt() != null) {
            item.put(EDITED_AT, s(Timestamps.format(revision.editedAt())));
        }
        if (revision.deletedAt() != null) {
            item.put(DELETED_AT, s(Timestamps.format(revision.deletedAt())));
        }
        if (revision.version() > 0) {
            item.put(MESSAGE_VERSION, AttributeValue.fromN(Long.toString(revision.version())));
        }
        if (idempotencyKey != null) {
            item.put(IDEMPOTENCY_KEY, s(idempotencyKey));
        }
        if (traceParent != null) {
            item.put(TRACE_PARENT, s(traceParent));
        }
        return item;
    }

    public static MessageItem from(Map<String, AttributeValue> item) {
        AttributeValue edited = item.get(EDITED_AT);
        AttributeValue deleted = item.get(DELETED_AT);
        AttributeValue version = item.get(MESSAGE_VERSION);
        AttributeValue key = item.get(IDEMPOTENCY_KEY);
        AttributeValue trace = item.get(TRACE_PARENT);
        Revision revision = edited == null && deleted == null && version == null ? Revision.ORIGINAL
                : new Revision(edited == null ? null : Timestamps.require(edited.s()), deleted == null ? null : Timestamps.require(deleted.s()),
                        version == null ? 0 : Long.parseLong(version.n()));
        return new MessageItem(KEY.partitionOf(item), Timestamps.require(string(item, MessagesTable.SK)), uuid(item, MESSAGE_UUID),
                string(item, MessagesTable.MESSAGE), uuid(item, MessagesTable.USER_UUID),
                string(item, MessagesTable.USER_DISPLAY_NAME), string(item, MessagesTable.USER_HANDLE), revision,
                key == null ? null : key.s(), trace == null ? null : trace.s());
    }

    // --- B: a page of a conversation's messages --------------------------------------------------

    /**
     * Pattern B: a page of a conversation's messages, newest first (the service reverses it).
     * One Query on the table, {@code pk = MSG#{group}}, optionally {@code sk < cursor}: the cost
     * depends on the page size only, never on the length of the history. Eventually consistent,
     * through DAX when configured.
     */
    public static Uni<Page<MessageItem>> pageMessages(TableClient table, UUID conversationUuid, Optional<String> beforeSk, int limit) {
        return table.page(pageRequest(table.table(), conversationUuid, beforeSk, limit), limit, true, MessageItem::from);
    }

    public static QueryRequest pageRequest(String table, UUID conversationUuid, Optional<String> beforeSk, int limit) {
        return TableClient.newestFirst(table, partition(conversationUuid), beforeSk, limit);
    }

    // --- R: what a resumed event stream missed ----------------------------------------------------

    /** Pattern R: up to {@code limit} of a conversation's messages from a time on, oldest first, strongly consistent (never DAX). */
    public static Uni<List<MessageItem>> replaySince(TableClient table, UUID conversationUuid, String fromSk, int limit) {
        return table.query(sinceRequest(table.table(), conversationUuid, fromSk, limit), MessageItem::from);
    }

    public static QueryRequest sinceRequest(String table, UUID conversationUuid, String fromSk, int limit) {
        return TableClient.oldestFirstSince(table, partition(conversationUuid), fromSk, limit);
    }

    // --- T: one message by its sent time ----------------------------------------------------------

    /** Pattern T: the message of a conversation sent at {@code createdAt}, if there is one. One strongly consistent GetItem. */
    public static Uni<Optional<MessageItem>> find(TableClient table, UUID conversationUuid, Instant createdAt) {
        return table.get(findRequest(table.table(), conversationUuid, createdAt), MessageItem::from);
    }

    public static GetItemRequest findRequest(String table, UUID conversationUuid, Instant createdAt) {
        return TableClient.byKey(table, Keys.key(partition(conversationUuid), Timestamps.format(createdAt)));
    }

    // --- X: the sender edits or deletes the message -----------------------------------------------

    /** The items of {@link #reviseRequest}, in their order. */
    private static final int REVISED_SLOT = 0;

    /**
     * Pattern X: the message as edited or deleted ({@code after}), only while it is still as
     * {@code this} was read (its version), together with {@code alongside} (the record of its
     * Idempotency-Key, holding the same copy, and the notices of the change). WRITTEN, or
     * MESSAGE_CHANGED when another change came first.
     */
    public Uni<Outcome> revise(TableClient table, MessageItem after, List<Map<String, AttributeValue>> alongside) {
        return table.transact(reviseRequest(table.table(), after, alongside),
                // Another change came first, or the record expired meanwhile: read again.
                reasons -> TableClient.failed(reasons, REVISED_SLOT) || reasons.stream().anyMatch(TableClient::conditionFailed)
                        ? Outcome.MESSAGE_CHANGED : null);
    }

    public TransactWriteItemsRequest reviseRequest(String table, MessageItem after, List<Map<String, AttributeValue>> alongside) {
        Put.Builder revised = Put.builder().tableName(table).item(after.toItem());
        if (revision.version() == 0) {
            revised.conditionExpression("attribute_exists(" + MessagesTable.PK + ") AND attribute_not_exists(" + MESSAGE_VERSION + ")");
        } else {
            revised.conditionExpression("attribute_exists(" + MessagesTable.PK + ") AND " + MESSAGE_VERSION + " = :version")
                    .expressionAttributeValues(Map.of(":version", AttributeValue.fromN(Long.toString(revision.version()))));
        }
        List<TransactWriteItem> items = new java.util.ArrayList<>();
        items.add(TransactWriteItem.builder().put(revised.build()).build());   // REVISED_SLOT
        for (Map<String, AttributeValue> item : alongside) {
            boolean record = item.get(MessagesTable.PK).s().startsWith(IdempotencyItem.PREFIX);
            items.add(record
                    // The record is replaced only while it is there: one that expired meanwhile stays gone.
                    ? TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                            .conditionExpression("attribute_exists(" + MessagesTable.PK + ")").build()).build()
                    : TableClient.putIfFree(table, item));
        }
        return TableClient.transaction(items);
    }

    // --- N: how many of the other member's messages came after a read marker -------------------

    /**
     * Pattern N: how many messages of {@code conversationUuid} sent after {@code afterSk} are not
     * {@code reader}'s (nor deleted), counting up to {@code cap}. Strongly consistent Queries ({@code pk = MSG#{group}
     * AND sk > :after}, oldest first, the sender only), page after page until {@code cap} are counted:
     * a read costs the size of the unread messages (1 RCU per 4 KB, about ten messages), never the
     * conversation's history.
     */
    public static Uni<Integer> countAfter(TableClient table, UUID conversationUuid, Instant afterSk, UUID reader, int cap) {
        return countFrom(table, conversationUuid, Timestamps.format(afterSk), reader.toString(), cap, Map.of(), 0);
    }

    private static Uni<Integer> countFrom(TableClient table, UUID conversationUuid, String afterSk, String reader, int cap,
                                          Map<String, AttributeValue> start, int counted) {
        return table.queryPage(countRequest(table.table(), conversationUuid, afterSk, start, cap)).chain(page -> {
            int total = counted;
            for (Map<String, AttributeValue> item : page.getKey()) {
                AttributeValue sender = item.get(MessagesTable.USER_UUID);
                if ((sender == null || !reader.equals(sender.s())) && !item.containsKey(DELETED_AT)) {
                    total++;
                }
            }
            if (total >= cap || page.getValue().isEmpty()) {
                return Uni.createFrom().item(Math.min(total, cap));
            }
            return countFrom(table, conversationUuid, afterSk, reader, cap, page.getValue(), total);
        });
    }

    public static QueryRequest countRequest(String table, UUID conversationUuid, String afterSk, Map<String, AttributeValue> start,
                                            int cap) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk > :after")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK, "#sk", MessagesTable.SK, "#u", MessagesTable.USER_UUID,
                        "#d", DELETED_AT))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(conversationUuid)),
                        ":after", AttributeValue.fromS(afterSk)))
                .projectionExpression("#u, #d")
                .consistentRead(true)
                .limit(cap)
                .exclusiveStartKey(start.isEmpty() ? null : start)
                .build();
    }

    // --- C: a new message in an existing conversation ----------------------------------------------

    /**
     * Pattern C: appends the message where no other is. WRITTEN, also when the SDK retried a put
     * whose answer was lost (the key then holds this very message), or TIME_TAKEN.
     */
    public Uni<Outcome> put(TableClient table) {
        return table.put(putRequest(table.table()), Outcome.WRITTEN,
                holder -> isStoredAs(holder) ? Outcome.WRITTEN : Outcome.TIME_TAKEN);
    }

    /** The condition refuses to overwrite another message with the same sort key, and the answer names the holder. */
    public PutItemRequest putRequest(String table) {
        return PutItemRequest.builder().tableName(table).item(toItem()).conditionExpression(TableClient.KEY_IS_FREE)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    /** The items of {@link #putOnceRequest}, in their order. */
    private static final int MESSAGE_SLOT = 0;
    private static final int RECORD_SLOT = 1;

    /** Pattern C with an Idempotency-Key: the message and its record, both or neither. WRITTEN, IDEMPOTENCY_KEY_TAKEN or TIME_TAKEN. */
    public Uni<Outcome> putOnce(TableClient table, IdempotencyItem record) {
        return table.transact(putOnceRequest(table.table(), record), reasons -> {
            if (TableClient.failed(reasons, RECORD_SLOT)) {
                return Outcome.IDEMPOTENCY_KEY_TAKEN;
            }
            return TableClient.failed(reasons, MESSAGE_SLOT) ? Outcome.TIME_TAKEN : null;
        });
    }

    public TransactWriteItemsRequest putOnceRequest(String table, IdempotencyItem record) {
        return TableClient.transaction(List.of(
                TableClient.putIfFree(table, postedWith(record.idempotencyKey()).toItem()),          // MESSAGE_SLOT
                TableClient.putIfFree(table, record.toItem())));  // RECORD_SLOT
    }
}
