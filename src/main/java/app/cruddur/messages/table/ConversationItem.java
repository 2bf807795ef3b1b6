package app.cruddur.messages.table;

import static app.cruddur.messages.table.AttributeValues.s;
import static app.cruddur.messages.table.AttributeValues.string;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A conversation's members under a fixed key ({@code CONV#{group}}, sk {@code CONV}): the
 * membership check is one strongly consistent GetItem, right after the conversation is created.
 * Group rows cannot serve: their sort key moves, and the group index is eventually consistent.
 */
public record ConversationItem(UUID messageGroupUuid, Set<UUID> memberUuids, Instant createdAt) {

    /** pk {@code CONV#{message_group_uuid}}, sk {@code CONV}: read and conditionally written by key. */
    public static final String PREFIX = "CONV#";
    public static final String SK = "CONV";

    public static String partition(UUID messageGroupUuid) {
        return PREFIX + messageGroupUuid;
    }

    public static Optional<UUID> groupOf(String pk) {
        return Uuids.after(PREFIX, pk);
    }

    public static final String MEMBER_UUIDS = "member_uuids";
    public static final String CREATED_AT = "created_at";

    public ConversationItem {
        memberUuids = Set.copyOf(memberUuids);
        createdAt = Timestamps.truncate(createdAt);
    }

    public boolean hasMember(UUID userUuid) {
        return memberUuids.contains(userUuid);
    }

    public Map<String, AttributeValue> key() {
        return key(messageGroupUuid);
    }

    public static Map<String, AttributeValue> key(UUID messageGroupUuid) {
        return Map.of(MessagesTable.PK, s(ConversationItem.partition(messageGroupUuid)), MessagesTable.SK, s(ConversationItem.SK));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(MEMBER_UUIDS, AttributeValue.fromSs(memberUuids.stream().map(UUID::toString).sorted().toList()));
        item.put(CREATED_AT, s(Timestamps.format(createdAt)));
        return item;
    }

    public static ConversationItem from(Map<String, AttributeValue> item) {
        String pk = string(item, MessagesTable.PK);
        UUID group = ConversationItem.groupOf(pk)
                .orElseThrow(() -> new AttributeValues.MalformedItemException("not a conversation pk: " + pk));
        AttributeValue members = item.get(MEMBER_UUIDS);
        List<String> values = members == null ? List.of() : members.ss();
        return new ConversationItem(group, values.stream().map(UUID::fromString).collect(Collectors.toSet()),
                Timestamps.require(string(item, CREATED_AT)));
    }
}
