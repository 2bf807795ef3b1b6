package app.cruddur.messages.table;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the items spell their keys and attributes. Each item type names its key {@link Format} (a
 * prefix and the uuid after it) once; building a key, parsing one back and refusing an item whose
 * key is not of its type all go through it.
 */
public final class Keys {

    private Keys() {
    }

    /** A key that is a prefix followed by one uuid, such as {@code MSG#{message_group_uuid}}. */
    public record Format(String prefix, String itemName) {

        public String of(UUID id) {
            return prefix + id;
        }

        /** The uuid after the prefix, if {@code key} is exactly one of this format. */
        public Optional<UUID> parse(String key) {
            if (key == null || !key.startsWith(prefix) || key.length() != prefix.length() + 36) {
                return Optional.empty();
            }
            return Uuids.parse(key.substring(prefix.length()));
        }

        /** The uuid of the item's pk, or the item is not of this type. */
        public UUID partitionOf(Map<String, AttributeValue> item) {
            String pk = string(item, MessagesTable.PK);
            return parse(pk).orElseThrow(() -> new MalformedItemException("not a " + itemName + " pk: " + pk));
        }
    }

    /** The primary key of an item. */
    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(MessagesTable.PK, s(pk), MessagesTable.SK, s(sk));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue s(UUID value) {
        return AttributeValue.fromS(value.toString());
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new MalformedItemException("missing string attribute " + name + " in item " + item.get(MessagesTable.PK));
        }
        return value.s();
    }

    static UUID uuid(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return Uuids.parse(value)
                // The value stays out: these messages are logged, and attribute values must not be.
                .orElseThrow(() -> new MalformedItemException("attribute " + name + " is not a uuid"));
    }

    /** An item that does not have the shape its key promises. */
    static final class MalformedItemException extends IllegalStateException {
        MalformedItemException(String message) {
            super(message);
        }
    }
}
