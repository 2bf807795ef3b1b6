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
 * One member's entry in their conversation list: pk {@code GRP#{owner}}, sk the last reply time,
 * so a Query on the owner's pk lists conversations newest first. It copies the last message and
 * the <em>other</em> member's handle and display name, so the list needs no further reads. Its
 * {@code message_group_uuid} puts it in the sparse group index, where the rows of one
 * conversation are found together.
 */
public record GroupRowItem(UUID ownerUserUuid, Instant lastReplyAt, UUID messageGroupUuid, String message,
                           UUID otherUserUuid, String otherDisplayName, String otherHandle) {

    /** pk {@code GRP#{owner_user_uuid}}, sk the last reply's time ({@link Timestamps}), as the reference lays them out. */
    public static final String PREFIX = "GRP#";

    public static String partition(UUID ownerUserUuid) {
        return PREFIX + ownerUserUuid;
    }

    /** The owner of a group row's pk, if it is one. */
    public static Optional<UUID> ownerOf(String pk) {
        return Uuids.after(PREFIX, pk);
    }


    public GroupRowItem {
        lastReplyAt = Timestamps.truncate(lastReplyAt);
    }

    public String pk() {
        return GroupRowItem.partition(ownerUserUuid);
    }

    public String sk() {
        return Timestamps.format(lastReplyAt);
    }

    /** This member's row moved to a newer last reply. */
    public GroupRowItem movedTo(Instant newLastReplyAt, String newMessage) {
        return new GroupRowItem(ownerUserUuid, newLastReplyAt, messageGroupUuid, newMessage, otherUserUuid, otherDisplayName, otherHandle);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PK, s(pk()));
        item.put(MessagesTable.SK, s(sk()));
        item.put(MessagesTable.MESSAGE_GROUP_UUID, s(messageGroupUuid));
        item.put(MessagesTable.MESSAGE, s(message));
        item.put(MessagesTable.USER_UUID, s(otherUserUuid));
        item.put(MessagesTable.USER_DISPLAY_NAME, s(otherDisplayName));
        item.put(MessagesTable.USER_HANDLE, s(otherHandle));
        return item;
    }

    public static GroupRowItem from(Map<String, AttributeValue> item) {
        String pk = string(item, MessagesTable.PK);
        UUID owner = GroupRowItem.ownerOf(pk)
                .orElseThrow(() -> new AttributeValues.MalformedItemException("not a group row pk: " + pk));
        return new GroupRowItem(owner, Timestamps.require(string(item, MessagesTable.SK)),
                uuid(item, MessagesTable.MESSAGE_GROUP_UUID), string(item, MessagesTable.MESSAGE), uuid(item, MessagesTable.USER_UUID),
                string(item, MessagesTable.USER_DISPLAY_NAME), string(item, MessagesTable.USER_HANDLE));
    }
}
