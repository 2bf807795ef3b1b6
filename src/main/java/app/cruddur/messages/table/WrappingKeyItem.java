package app.cruddur.messages.table;

import static app.cruddur.messages.table.Keys.s;
import static app.cruddur.messages.table.Keys.string;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The wrapping key in the key table ({@link KeysTable}): pk {@code WRAPPING_KEY}, sk {@code KEY}. A
 * Tink keyset that encrypts every conversation's keyset, itself encrypted by the KMS key
 * {@code kms_key_id} ({@code keyset}, KMS' ciphertext blob). The service decrypts it once at start:
 * KMS is never called per message or per conversation. {@code version} counts its rotations.
 *
 * <p>Access patterns (on the key table): W1 {@link #find}, W2 {@link #create}, W3 {@link #replace}.
 */
public record WrappingKeyItem(byte[] wrappedKeyset, String kmsKeyId, long version) {

    public static final String PK = "WRAPPING_KEY";
    public static final String KEYSET = "keyset";
    public static final String KMS_KEY_ID = "kms_key_id";
    public static final String VERSION = "version";

    public static Map<String, AttributeValue> key() {
        return Keys.key(PK, KeysTable.SK);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(KEYSET, AttributeValue.fromB(SdkBytes.fromByteArray(wrappedKeyset)));
        item.put(KMS_KEY_ID, s(kmsKeyId));
        item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
        return item;
    }

    public static WrappingKeyItem from(Map<String, AttributeValue> item) {
        AttributeValue keyset = item.get(KEYSET);
        AttributeValue version = item.get(VERSION);
        if (keyset == null || keyset.b() == null || version == null) {
            throw new Keys.MalformedItemException("wrapping key without " + KEYSET + " or " + VERSION);
        }
        return new WrappingKeyItem(keyset.b().asByteArray(), string(item, KMS_KEY_ID), Long.parseLong(version.n()));
    }

    /** W1: the wrapping key, strongly consistent. */
    public static Uni<Optional<WrappingKeyItem>> find(TableClient keys) {
        return keys.get(findRequest(keys.table()), WrappingKeyItem::from);
    }

    public static GetItemRequest findRequest(String table) {
        return TableClient.byKey(table, key()).toBuilder().consistentRead(true).build();
    }

    /** W2: the first wrapping key, where none is (the first instance to start makes it). True when written. */
    public Uni<Boolean> create(TableClient keys) {
        return keys.put(PutItemRequest.builder().tableName(keys.table()).item(toItem())
                .conditionExpression(TableClient.KEY_IS_FREE).build(), true, holder -> false);
    }

    /** W3: a rotated wrapping key in place of version {@code previous}. True when written. */
    public Uni<Boolean> replace(TableClient keys, long previous) {
        return keys.put(PutItemRequest.builder().tableName(keys.table()).item(toItem())
                .conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(previous))))
                .build(), true, holder -> false);
    }
}
