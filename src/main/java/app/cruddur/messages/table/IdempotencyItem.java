package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The outcome of a POST made with an {@code Idempotency-Key}: pk {@code IDEM#{user}#{key}}, written in
 * the same transaction as the message ({@link MessageItem#putOnce}, {@link NewConversation#create}),
 * so a retry either finds it and gets the first answer or finds nothing stored at all.
 * {@code expires_at} is the table's TTL attribute.
 *
 * <p>Access pattern: the first answer of a key {@link #find}.
 */
public record IdempotencyItem(UUID userUuid, String idempotencyKey, String requestHash, MessageItem created,
                              Instant expiresAt) {

    /** pk {@code IDEM#{user_uuid}#{key}}, sk {@code IDEM}. */
    public static final String PREFIX = "IDEM#";
    public static final String SK = "IDEM";

    public static final String REQUEST_HASH = "request_hash";
    public static final String CREATED_MESSAGE = "created_message";
    /** Epoch seconds; DynamoDB deletes the item some time after this. */
    public static final String EXPIRES_AT = "expires_at";

    public static String partition(UUID userUuid, String idempotencyKey) {
        return PREFIX + userUuid + "#" + idempotencyKey;
    }

    public Map<String, AttributeValue> key() {
        return key(userUuid, idempotencyKey);
    }

    public static Map<String, AttributeValue> key(UUID userUuid, String idempotencyKey) {
        return Keys.key(partition(userUuid, idempotencyKey), SK);
    }

    /** The same record for a message that was stored under another sort key. */
    public IdempotencyItem withCreated(MessageItem message) {
        return new IdempotencyItem(userUuid, idempotencyKey, requestHash, message, expiresAt);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(REQUEST_HASH, s(requestHash));
        item.put(CREATED_MESSAGE, AttributeValue.fromM(created.toItem()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        return item;
    }

    /** The stored request hash and message of a record read back (user and key are the caller's own). */
    public static IdempotencyItem from(UUID userUuid, String idempotencyKey, Map<String, AttributeValue> item) {
        AttributeValue created = item.get(CREATED_MESSAGE);
        if (created == null || !created.hasM()) {
            throw new Keys.MalformedItemException("idempotency record without " + CREATED_MESSAGE);
        }
        AttributeValue expires = item.get(EXPIRES_AT);
        return new IdempotencyItem(userUuid, idempotencyKey, string(item, REQUEST_HASH), MessageItem.from(created.m()),
                Instant.ofEpochSecond(expires == null ? 0 : Long.parseLong(expires.n())));
    }

    /** The record of a key, strongly consistent: a retry finds what the first request stored. */
    public static Uni<Optional<IdempotencyItem>> find(TableClient table, UUID userUuid, String idempotencyKey) {
        return table.get(findRequest(table.table(), userUuid, idempotencyKey), found -> from(userUuid, idempotencyKey, found));
    }

    public static GetItemRequest findRequest(String table, UUID userUuid, String idempotencyKey) {
        return TableClient.byKey(table, key(userUuid, idempotencyKey));
    }
}
