package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * A conversation's members under a fixed key ({@code CONV#{group}}, sk {@code CONV}): the
 * membership check is one strongly consistent GetItem, right after the conversation is created.
 * List entries cannot serve: their sort key moves, and the group index is eventually consistent.
 * Written once, by {@link NewConversation}.
 *
 * <p>Access pattern: membership (B and C) {@link #find}.
 */
public record ConversationItem(UUID conversationUuid, Set<UUID> memberUuids, Instant createdAt) {

    /** pk {@code CONV#{message_group_uuid}}, sk {@code CONV}: read and conditionally written by key. */
    public static final String PREFIX = "CONV#";
    public static final String SK = "CONV";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "conversation");

    public static final String MEMBER_UUIDS = "member_uuids";
    public static final String CREATED_AT = "created_at";

    public ConversationItem {
        memberUuids = Set.copyOf(memberUuids);
        createdAt = Timestamps.truncate(createdAt);
    }

    public static String partition(UUID conversationUuid) {
        return KEY.of(conversationUuid);
    }

    public static Optional<UUID> groupOf(String pk) {
        return KEY.parse(pk);
    }

    public boolean hasMember(UUID userUuid) {
        return memberUuids.contains(userUuid);
    }

    public Map<String, AttributeValue> key() {
        return key(conversationUuid);
    }

    public static Map<String, AttributeValue> key(UUID conversationUuid) {
        return Keys.key(partition(conversationUuid), SK);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(MEMBER_UUIDS, AttributeValue.fromSs(memberUuids.stream().map(UUID::toString).sorted().toList()));
        item.put(CREATED_AT, s(Timestamps.format(createdAt)));
        return item;
    }

    public static ConversationItem from(Map<String, AttributeValue> item) {
        AttributeValue members = item.get(MEMBER_UUIDS);
        List<String> values = members == null ? List.of() : members.ss();
        return new ConversationItem(KEY.partitionOf(item), values.stream().map(UUID::fromString).collect(Collectors.toSet()),
                Timestamps.require(string(item, CREATED_AT)));
    }

    /** Membership (patterns B and C): the conversation's members, by key, strongly consistent. */
    public static Uni<Optional<ConversationItem>> find(TableClient table, UUID conversationUuid) {
        return table.get(findRequest(table.table(), conversationUuid), ConversationItem::from);
    }

    public static GetItemRequest findRequest(String table, UUID conversationUuid) {
        return TableClient.byKey(table, key(conversationUuid));
    }
}
