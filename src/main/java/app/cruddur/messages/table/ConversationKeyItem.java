package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * One conversation's key in the key table ({@link KeysTable}): pk {@code KEY#{message_group_uuid}},
 * sk {@code KEY}. {@code keyset} is the conversation's Tink keyset encrypted under the wrapping key
 * ({@link WrappingKeyItem}); an erased conversation keeps the item without a keyset and with
 * {@code erased_at}, so that nothing makes a new key for it and every instance learns that it is gone.
 *
 * <p>Access patterns (on the key table): K1 {@link #find}, K2 {@link #findAll}, K3 {@link #create},
 * K4 {@link #erase}, K5 {@link #replace}.
 */
public record ConversationKeyItem(UUID conversationUuid, Optional<byte[]> keyset, Instant createdAt, Optional<Instant> erasedAt) {

    public static final String PREFIX = "KEY#";
    static final Keys.Format KEY = new Keys.Format(PREFIX, "conversation key");

    public static final String KEYSET = "keyset";
    public static final String CREATED_AT = "created_at";
    public static final String ERASED_AT = "erased_at";
    /** BatchGetItem's limit of keys per call. */
    static final int BATCH = 100;

    public static String partition(UUID conversationUuid) {
        return KEY.of(conversationUuid);
    }

    public static Map<String, AttributeValue> key(UUID conversationUuid) {
        return Keys.key(partition(conversationUuid), KeysTable.SK);
    }

    public boolean erased() {
        return erasedAt.isPresent();
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key(conversationUuid));
        keyset.ifPresent(bytes -> item.put(KEYSET, AttributeValue.fromB(SdkBytes.fromByteArray(bytes))));
        item.put(CREATED_AT, s(Timestamps.format(createdAt)));
        erasedAt.ifPresent(at -> item.put(ERASED_AT, s(Timestamps.format(at))));
        return item;
    }

    public static ConversationKeyItem from(Map<String, AttributeValue> item) {
        AttributeValue keyset = item.get(KEYSET);
        AttributeValue erased = item.get(ERASED_AT);
        return new ConversationKeyItem(KEY.partitionOf(item),
                keyset == null || keyset.b() == null ? Optional.empty() : Optional.of(keyset.b().asByteArray()),
                Timestamps.require(string(item, CREATED_AT)),
                erased == null ? Optional.empty() : Optional.of(Timestamps.require(erased.s())));
    }

    /** K1: one conversation's key, strongly consistent (a key made a moment ago on another instance is found). */
    public static Uni<Optional<ConversationKeyItem>> find(TableClient keys, UUID conversationUuid) {
        return keys.get(findRequest(keys.table(), conversationUuid), ConversationKeyItem::from);
    }

    public static GetItemRequest findRequest(String table, UUID conversationUuid) {
        return TableClient.byKey(table, key(conversationUuid)).toBuilder().consistentRead(true).build();
    }

    /** K2: the keys of several conversations (a page of the conversation list), {@value #BATCH} per BatchGetItem, strongly consistent. */
    public static Uni<List<ConversationKeyItem>> findAll(TableClient keys, Collection<UUID> conversationUuids) {
        List<UUID> all = List.copyOf(conversationUuids);
        List<Uni<List<ConversationKeyItem>>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            batches.add(keys.getAll(findAllRequest(keys.table(), all.subList(from, Math.min(all.size(), from + BATCH))),
                    ConversationKeyItem::from));
        }
        if (batches.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(batches).andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    public static BatchGetItemRequest findAllRequest(String table, List<UUID> conversationUuids) {
        return BatchGetItemRequest.builder().requestItems(Map.of(table, KeysAndAttributes.builder()
                .keys(conversationUuids.stream().map(ConversationKeyItem::key).toList())
                .consistentRead(true)
                .build())).build();
    }

    /** K3: a new conversation's key, where none is (an erased conversation keeps its tombstone). True when written. */
    public Uni<Boolean> create(TableClient keys) {
        return keys.put(createRequest(keys.table()), true, holder -> false);
    }

    public PutItemRequest createRequest(String table) {
        return PutItemRequest.builder().tableName(table).item(toItem()).conditionExpression(TableClient.KEY_IS_FREE).build();
    }

    /** K5: a rotated keyset in place of the one read ({@code previous}), unless it changed or was erased meanwhile. True when written. */
    public Uni<Boolean> replace(TableClient keys, byte[] previous) {
        return keys.put(replaceRequest(keys.table(), previous), true, holder -> false);
    }

    public PutItemRequest replaceRequest(String table, byte[] previous) {
        return PutItemRequest.builder().tableName(table).item(toItem())
                .conditionExpression("#k = :previous")
                .expressionAttributeNames(Map.of("#k", KEYSET))
                .expressionAttributeValues(Map.of(":previous", AttributeValue.fromB(SdkBytes.fromByteArray(previous))))
                .build();
    }

    /** K4: destroys a conversation's key: the keyset is gone, a tombstone stays. */
    public static Uni<Void> erase(TableClient keys, UUID conversationUuid, Instant at) {
        return keys.put(eraseRequest(keys.table(), conversationUuid, at), null, holder -> null).replaceWithVoid();
    }

    public static PutItemRequest eraseRequest(String table, UUID conversationUuid, Instant at) {
        ConversationKeyItem tombstone = new ConversationKeyItem(conversationUuid, Optional.empty(), at, Optional.of(at));
        return PutItemRequest.builder().tableName(table).item(tombstone.toItem()).build();
    }
}
