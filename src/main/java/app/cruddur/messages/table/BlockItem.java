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
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * One user blocking another: pk {@code BLOCK#{blocker_uuid}}, sk {@code BLOCK#{blocked_uuid}}, so
 * a block is read and written by key, and a Query on the blocker's pk lists everyone they blocked.
 * It copies the blocked user's handle and display name for that list. No
 * {@code message_group_uuid}, so it stays out of the sparse group index, and the stream projection
 * passes it by (it acts on {@code MSG#} items only).
 *
 * <p>Access patterns: F {@link #put} and {@link #delete}, G {@link #listBlocks}.
 */
public record BlockItem(UUID blockerUuid, UUID blockedUuid, String blockedHandle, String blockedDisplayName, Instant blockedAt) {

    public static final String PREFIX = "BLOCK#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "block");
    public static final String BLOCKED_AT = "blocked_at";

    public BlockItem {
        blockedAt = Timestamps.truncate(blockedAt);
    }

    public static String partition(UUID blockerUuid) {
        return KEY.of(blockerUuid);
    }

    public static String sortKey(UUID blockedUuid) {
        return KEY.of(blockedUuid);
    }

    public static Map<String, AttributeValue> key(UUID blockerUuid, UUID blockedUuid) {
        return Keys.key(partition(blockerUuid), sortKey(blockedUuid));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key(blockerUuid, blockedUuid));
        item.put(MessagesTable.USER_UUID, s(blockedUuid));
        item.put(MessagesTable.USER_HANDLE, s(blockedHandle));
        item.put(MessagesTable.USER_DISPLAY_NAME, s(blockedDisplayName));
        item.put(BLOCKED_AT, s(Timestamps.format(blockedAt)));
        return item;
    }

    public static BlockItem from(Map<String, AttributeValue> item) {
        return new BlockItem(KEY.partitionOf(item), uuid(item, MessagesTable.USER_UUID), string(item, MessagesTable.USER_HANDLE),
                string(item, MessagesTable.USER_DISPLAY_NAME), Timestamps.require(string(item, BLOCKED_AT)));
    }

    /**
     * Pattern F: block a user. One PutItem where no block is yet, so a repeated block keeps the
     * first one's time; true when this call wrote it (false: "already blocked").
     */
    public Uni<Boolean> put(TableClient table) {
        return table.put(putRequest(table.table()), true, holder -> false);
    }

    public PutItemRequest putRequest(String table) {
        return PutItemRequest.builder().tableName(table).item(toItem()).conditionExpression(TableClient.KEY_IS_FREE).build();
    }

    /** Pattern F: unblock. One DeleteItem by key; deleting what is not there is no error, so it is idempotent. */
    public static Uni<Void> delete(TableClient table, UUID blockerUuid, UUID blockedUuid) {
        return table.delete(deleteRequest(table.table(), blockerUuid, blockedUuid));
    }

    public static DeleteItemRequest deleteRequest(String table, UUID blockerUuid, UUID blockedUuid) {
        return DeleteItemRequest.builder().tableName(table).key(key(blockerUuid, blockedUuid)).build();
    }

    /**
     * Pattern G: everyone a user blocked, a page (up to 1 MB) per Query until the last. Strongly
     * consistent, {@code pk = BLOCK#{user}}: a block or unblock is seen by the next post.
     */
    public static Uni<List<BlockItem>> listBlocks(TableClient table, UUID blockerUuid) {
        return table.queryAll(start -> listRequest(table.table(), blockerUuid, start), BlockItem::from);
    }

    public static QueryRequest listRequest(String table, UUID blockerUuid, Map<String, AttributeValue> exclusiveStartKey) {
        return TableClient.partition(table, partition(blockerUuid), exclusiveStartKey).toBuilder().consistentRead(true).build();
    }
}
