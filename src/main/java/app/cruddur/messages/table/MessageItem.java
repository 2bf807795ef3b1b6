package app.cruddur.messages.table;

import static app.cruddur.messages.table.AttributeValues.s;
import static app.cruddur.messages.table.AttributeValues.string;
import static app.cruddur.messages.table.AttributeValues.uuid;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A message: pk {@code MSG#{group}}, sk its creation time. The sender's handle and display name are
 * copied in so that a page of messages needs no user lookups. There is deliberately no
 * {@code message_group_uuid} attribute: the group index stays sparse, holding group rows only.
 */
public record MessageItem(UUID messageGroupUuid, Instant createdAt, UUID messageUuid, String message,
                          UUID userUuid, String userDisplayName, String userHandle) {

    /** pk {@code MSG#{message_group_uuid}}, sk the created time ({@link Timestamps}), as the reference lays them out. */
    public static final String PREFIX = "MSG#";

    public static String partition(UUID messageGroupUuid) {
        return PREFIX + messageGroupUuid;
    }

    /** The conversation of a message's pk, if it is one. */
    public static Optional<UUID> groupOf(String pk) {
        return Uuids.after(PREFIX, pk);
    }

    public static final String MESSAGE_UUID = "message_uuid";

    public MessageItem {
        createdAt = Timestamps.truncate(createdAt);
    }

    public String pk() {
        return MessageItem.partition(messageGroupUuid);
    }

    public String sk() {
        return Timestamps.format(createdAt);
    }

    /** The same message under another sort key (when its first one was taken). */
    public MessageItem at(Instant newCreatedAt) {
        return new MessageItem(messageGroupUuid, newCreatedAt, messageUuid, message, userUuid, userDisplayName, userHandle);
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
        return item;
    }

    public static MessageItem from(Map<String, AttributeValue> item) {
        String pk = string(item, MessagesTable.PK);
        UUID group = MessageItem.groupOf(pk)
                .orElseThrow(() -> new AttributeValues.MalformedItemException("not a message pk: " + pk));
        return new MessageItem(group, Timestamps.require(string(item, MessagesTable.SK)), uuid(item, MESSAGE_UUID),
                string(item, MessagesTable.MESSAGE), uuid(item, MessagesTable.USER_UUID), string(item, MessagesTable.USER_DISPLAY_NAME), string(item, MessagesTable.USER_HANDLE));
    }
}
