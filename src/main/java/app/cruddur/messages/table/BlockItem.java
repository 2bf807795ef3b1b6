package app.cruddur.messages.table;

import static app.cruddur.messages.table.AttributeValues.s;
import static app.cruddur.messages.table.AttributeValues.string;
import static app.cruddur.messages.table.AttributeValues.uuid;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One user blocking another: pk {@code BLOCK#{blocker_uuid}}, sk {@code BLOCK#{blocked_uuid}}, so
 * a block is read and written by key, and a Query on the blocker's pk lists everyone they blocked.
 * It copies the blocked user's handle and display name for that list. No
 * {@code message_group_uuid}, so it stays out of the sparse group index, and the stream projection
 * passes it by (it acts on {@code MSG#} items only).
 */
public record BlockItem(UUID blockerUuid, UUID blockedUuid, String blockedHandle, String blockedDisplayName, Instant blockedAt) {

    public static final String PREFIX = "BLOCK#";
    public static final String BLOCKED_AT = "blocked_at";

    public BlockItem {
        blockedAt = Timestamps.truncate(blockedAt);
    }

    public static String partition(UUID blockerUuid) {
        return PREFIX + blockerUuid;
    }

    public static String sortKey(UUID blockedUuid) {
        return PREFIX + blockedUuid;
    }

    public static Map<String, AttributeValue> key(UUID blockerUuid, UUID blockedUuid) {
        return Map.of(MessagesTable.PK, s(partition(blockerUuid)), MessagesTable.SK, s(sortKey(blockedUuid)));
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
        String pk = string(item, MessagesTable.PK);
        UUID blocker = Uuids.after(PREFIX, pk)
                .orElseThrow(() -> new AttributeValues.MalformedItemException("not a block pk: " + pk));
        return new BlockItem(blocker, uuid(item, MessagesTable.USER_UUID), string(item, MessagesTable.USER_HANDLE),
                string(item, MessagesTable.USER_DISPLAY_NAME), Timestamps.require(string(item, BLOCKED_AT)));
    }
}
