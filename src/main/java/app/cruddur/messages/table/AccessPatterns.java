package app.cruddur.messages.table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Every request the service sends to the table, one method per access pattern. docs/data.md's
 * access-pattern table describes these methods, and the capacity benchmark measures them.
 */
public final class AccessPatterns {

    /** A put that never replaces an item: the key must be free. */
    public static final String KEY_IS_FREE = "attribute_not_exists(" + MessagesTable.PK + ")";

    private AccessPatterns() {
    }

    /**
     * Pattern A: a user's conversations, newest reply first. One Query on the table,
     * {@code pk = GRP#{user}}, optionally {@code sk < cursor}. Reads {@code limit + 1} rows, so the
     * caller knows whether an older page exists without a second call. Strongly consistent, so that
     * it sees every move a POST made before it answered (read-your-writes).
     */
    public static QueryRequest groupRowsNewestFirst(String table, UUID ownerUserUuid, Optional<String> beforeSk, int limit) {
        return newestFirst(table, GroupRowItem.partition(ownerUserUuid), beforeSk, limit).toBuilder().consistentRead(true).build();
    }

    /**
     * Pattern B: a page of a conversation's messages, newest first (the service reverses it).
     * One Query on the table, {@code pk = MSG#{group}}, optionally {@code sk < cursor}: the cost
     * depends on the page size only, never on the length of the history.
     */
    public static QueryRequest messagesNewestFirst(String table, UUID messageGroupUuid, Optional<String> beforeSk, int limit) {
        return newestFirst(table, MessageItem.partition(messageGroupUuid), beforeSk, limit);
    }

    /**
     * Pattern R (a resumed event stream): a user's group rows from a time on, oldest first. One
     * strongly consistent Query on the table, {@code pk = GRP#{owner} AND sk >= from}: what it reads
     * is what changed since, never the whole list.
     */
    public static QueryRequest groupRowsSince(String table, UUID ownerUserUuid, String fromSk, int limit) {
        return oldestFirstSince(table, GroupRowItem.partition(ownerUserUuid), fromSk, limit);
    }

    /** Pattern R: a conversation's messages from a time on, oldest first, strongly consistent (never DAX). */
    public static QueryRequest messagesSince(String table, UUID messageGroupUuid, String fromSk, int limit) {
        return oldestFirstSince(table, MessageItem.partition(messageGroupUuid), fromSk, limit);
    }

    /** Membership (patterns B and C): the conversation's members, by key, strongly consistent. */
    public static GetItemRequest conversation(String table, UUID messageGroupUuid) {
        return GetItemRequest.builder().tableName(table).key(ConversationItem.key(messageGroupUuid)).consistentRead(true).build();
    }

    /** Pattern C: append a message; the condition refuses to overwrite another message with the same sort key. */
    public static PutItemRequest putNewMessage(String table, MessageItem message) {
        // When the key is taken, the answer carries the item that holds it: a retry after a lost answer
        // finds its own message there (same message_uuid) and knows it was stored.
        return PutItemRequest.builder().tableName(table).item(message.toItem()).conditionExpression(KEY_IS_FREE)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    /** Pattern C with an Idempotency-Key: the message and its idempotency record, both or neither. */
    public static TransactWriteItemsRequest putNewMessageOnce(String table, MessageItem message, IdempotencyItem record) {
        return transaction(List.of(putIfFree(table, message.toItem()), putIfFree(table, record.toItem())));
    }

    /** Pattern D: the existing one-to-one conversation of two users, by key, strongly consistent. */
    public static GetItemRequest pair(String table, UUID a, UUID b) {
        return GetItemRequest.builder().tableName(table).key(PairItem.key(a, b)).consistentRead(true).build();
    }

    /**
     * Pattern D: a new conversation in one transaction. Item order matters to the reader of the
     * cancellation reasons ({@link TableClient}): pair, conversation, two rows, message, record.
     */
    public static TransactWriteItemsRequest createConversation(String table, NewConversation conversation,
                                                               Optional<IdempotencyItem> record) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                putIfFree(table, conversation.pair().toItem()),
                putIfFree(table, conversation.conversation().toItem()),
                putIfFree(table, conversation.senderRow().toItem()),
                putIfFree(table, conversation.receiverRow().toItem()),
                putIfFree(table, conversation.message().toItem())));
        record.ifPresent(r -> items.add(putIfFree(table, r.toItem())));
        return transaction(items);
    }

    /**
     * Patterns C and E: the group rows of one conversation, one per member, through the sparse index
     * (HASH message_group_uuid). Eventually consistent (an index offers nothing else): a move re-reads
     * after it failed.
     */
    public static QueryRequest groupRowsOfConversation(String table, String groupIndex, UUID messageGroupUuid) {
        return QueryRequest.builder()
                .tableName(table)
                .indexName(groupIndex)
                .keyConditionExpression("#g = :g")
                .expressionAttributeNames(Map.of("#g", MessagesTable.MESSAGE_GROUP_UUID))
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(messageGroupUuid.toString())))
                .build();
    }

    /**
     * Patterns C and E: moves group rows to a newer last reply in one transaction. Each old row is deleted
     * only if it is still there, and each new row is put only where nothing is, so a move that lost a
     * race is cancelled whole and no member ever has zero or two rows for a conversation.
     */
    public static TransactWriteItemsRequest moveGroupRows(String table, List<GroupRowItem> from, List<GroupRowItem> to) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (GroupRowItem row : from) {
            items.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(table)
                    .key(Map.of(MessagesTable.PK, AttributeValue.fromS(row.pk()), MessagesTable.SK, AttributeValue.fromS(row.sk())))
                    .conditionExpression("attribute_exists(" + MessagesTable.PK + ")")
                    .build()).build());
        }
        for (GroupRowItem row : to) {
            items.add(putIfFree(table, row.toItem()));
        }
        return transaction(items);
    }

    /** Reads back an idempotency record, strongly consistent. */
    public static GetItemRequest idempotencyRecord(String table, UUID userUuid, String idempotencyKey) {
        return GetItemRequest.builder().tableName(table).key(IdempotencyItem.key(userUuid, idempotencyKey)).consistentRead(true).build();
    }

    /**
     * Pattern F: block a user. One PutItem where no block is yet, so a repeated block keeps the
     * first one's time (the condition failing is the answer "already blocked").
     */
    public static PutItemRequest block(String table, BlockItem block) {
        return PutItemRequest.builder().tableName(table).item(block.toItem()).conditionExpression(KEY_IS_FREE).build();
    }

    /** Pattern F: unblock. One DeleteItem by key; deleting what is not there is no error, so it is idempotent. */
    public static DeleteItemRequest unblock(String table, UUID blockerUuid, UUID blockedUuid) {
        return DeleteItemRequest.builder().tableName(table).key(BlockItem.key(blockerUuid, blockedUuid)).build();
    }

    /**
     * Pattern G: everyone a user blocked, a page (up to 1 MB) at a time. One strongly consistent
     * Query, {@code pk = BLOCK#{user}}: a block or unblock is seen by the next post.
     */
    public static QueryRequest blocksOf(String table, UUID blockerUuid, Map<String, AttributeValue> exclusiveStartKey) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(BlockItem.partition(blockerUuid))))
                .consistentRead(true)
                .exclusiveStartKey(exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null : exclusiveStartKey)
                .build();
    }

    /** Tools and seeding: the keys of every item in one partition, a page at a time. */
    public static QueryRequest partitionKeys(String table, String pk, Map<String, AttributeValue> exclusiveStartKey) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK, "#sk", MessagesTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .projectionExpression("#pk, #sk")
                .exclusiveStartKey(exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null : exclusiveStartKey)
                .build();
    }

    private static QueryRequest oldestFirstSince(String table, String pk, String fromSk, int limit) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK, "#sk", MessagesTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(fromSk)))
                .scanIndexForward(true)
                .consistentRead(true)
                .limit(limit)
                .build();
    }

    private static QueryRequest newestFirst(String table, String pk, Optional<String> beforeSk, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(pk));
        String condition = "#pk = :pk";
        if (beforeSk.isPresent()) {
            values.put(":before", AttributeValue.fromS(beforeSk.get()));
            condition += " AND #sk < :before";
        }
        Map<String, String> names = new HashMap<>(Map.of("#pk", MessagesTable.PK));
        if (beforeSk.isPresent()) {
            names.put("#sk", MessagesTable.SK);
        }
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .limit(limit + 1)
                .build();
    }

    /**
     * A transaction with a token of its own. The SDK sends the same token with each of its retries,
     * and DynamoDB applies a token once: a retry after a lost answer succeeds without writing again.
     * A new attempt of ours (other keys, after a cancellation) is a new request with a new token.
     */
    private static TransactWriteItemsRequest transaction(List<TransactWriteItem> items) {
        return TransactWriteItemsRequest.builder().transactItems(items).clientRequestToken(UUID.randomUUID().toString()).build();
    }

    private static TransactWriteItem putIfFree(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item).conditionExpression(KEY_IS_FREE).build())
                .build();
    }
}
