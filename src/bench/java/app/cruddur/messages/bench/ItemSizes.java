package app.cruddur.messages.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Item sizes as DynamoDB counts them for capacity, approximately: attribute names plus values. */
final class ItemSizes {

    private ItemSizes() {
    }

    static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    private static int of(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.n() != null) {
            return value.n().length() / 2 + 1;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToInt(ItemSizes::utf8).sum();
        }
        if (value.hasM()) {
            return 3 + value.m().entrySet().stream().mapToInt(e -> utf8(e.getKey()) + of(e.getValue()) + 1).sum();
        }
        return 1;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
