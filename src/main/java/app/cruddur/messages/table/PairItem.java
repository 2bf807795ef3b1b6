package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.uuid;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The one-to-one conversation of two users, under a key that is the same in both directions
 * ({@code PAIR#{lower}#{higher}}). Creating a conversation puts this item with
 * {@code attribute_not_exists(pk)} in the same transaction as the rest ({@link NewConversation}), so
 * racing first messages create one conversation. The group uuid is stored as
 * {@code pair_group_uuid}, not {@code message_group_uuid}, to keep this item out of the sparse group index.
 *
 * <p>Access pattern: D {@link #findGroup}.
 */
public record PairItem(UUID userA, UUID userB, UUID conversationUuid) {

    /** pk {@code PAIR#{lower_uuid}#{higher_uuid}}, sk {@code PAIR}: one conversation per two users. */
    public static final String PREFIX = "PAIR#";
    public static final String SK = "PAIR";

    public static final String PAIR_GROUP_UUID = "pair_group_uuid";

    /** The same key for (a, b) and (b, a). */
    public static String partition(UUID a, UUID b) {
        boolean ordered = a.toString().compareTo(b.toString()) <= 0;
        return PREFIX + (ordered ? a + "#" + b : b + "#" + a);
    }

    public Map<String, AttributeValue> key() {
        return key(userA, userB);
    }

    public static Map<String, AttributeValue> key(UUID a, UUID b) {
        return Keys.key(partition(a, b), SK);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(PAIR_GROUP_UUID, s(conversationUuid));
        return item;
    }

    public static UUID groupOf(Map<String, AttributeValue> item) {
        return uuid(item, PAIR_GROUP_UUID);
    }

    /** Pattern D: the conversation of two users, if they have one; by key, strongly consistent. */
    public static Uni<Optional<UUID>> findGroup(TableClient table, UUID a, UUID b) {
        return table.get(findRequest(table.table(), a, b), PairItem::groupOf);
    }

    public static GetItemRequest findRequest(String table, UUID a, UUID b) {
        return TableClient.byKey(table, key(a, b));
    }
}
