package app.cruddur.messages.table;

import static app.cruddur.messages.table.AttributeValues.s;
import static app.cruddur.messages.table.AttributeValues.string;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The outcome of a POST made with an {@code Idempotency-Key}: pk {@code IDEM#{user}#{key}}, written in
 * the same transaction as the message, so a retry either finds it and gets the first answer or
 * finds nothing stored at all. {@code expires_at} is the table's TTL attribute.
 */
public record IdempotencyItem(UUID userUuid, String idempotencyKey, String requestHash, MessageItem created,
                              Instant expiresAt) {

    /** pk {@code IDEM#{user_uuid}#{key}}, sk {@code IDEM}. */
    public static final String PREFIX = "IDEM#";
    public static final String SK = "IDEM";

    public static String partition(UUID userUuid, String idempotencyKey) {
        return PREFIX + userUuid + "#" + idempotencyKey;
    }

    public static final String REQUEST_HASH = "request_hash";
    public static final String CREATED_MESSAGE = "created_message";
    /** Epoch seconds; DynamoDB deletes the item some time after this. */
    public static final String EXPIRES_AT = "expires_at";

    public Map<String, AttributeValue> key() {
        return key(userUuid, idempotencyKey);
    }

    public static Map<String, AttributeValue> key(UUID userUuid, String idempotencyKey) {
        return Map.of(MessagesTable.PK, s(IdempotencyItem.partition(userUuid, idempotencyKey)), MessagesTable.SK, s(IdempotencyItem.SK));
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
            throw new AttributeValues.MalformedItemException("idempotency record without " + CREATED_MESSAGE);
        }
        AttributeValue expires = item.get(EXPIRES_AT);
        return new IdempotencyItem(userUuid, idempotencyKey, string(item, REQUEST_HASH), MessageItem.from(created.m()),
                Instant.ofEpochSecond(expires == null ? 0 : Long.parseLong(expires.n())));
    }
}
