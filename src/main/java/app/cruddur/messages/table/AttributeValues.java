package app.cruddur.messages.table;

import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing the attribute types the items use. */
final class AttributeValues {

    private AttributeValues() {
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
