package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.MessageView;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An item of the messages table with the text it holds opened, as the tools print it. */
final class OpenedItems {

    private OpenedItems() {
    }

    /** The item with its {@code message} (or its idempotency record's message) opened; other items as they are. */
    static Map<String, AttributeValue> opened(Keyring keyring, Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(MessagesTable.PK);
        String key = pk == null || pk.s() == null ? "" : pk.s();
        if (key.startsWith(MessageItem.PREFIX) && item.containsKey(MessagesTable.MESSAGE)) {
            MessageItem message = MessageItem.from(item);
            return withText(item, message.text(key(keyring, message.conversationUuid())).orElse(MessageView.UNAVAILABLE));
        }
        if (key.startsWith(ListEntryItem.PREFIX) && item.containsKey(MessagesTable.MESSAGE)) {
            ListEntryItem entry = ListEntryItem.from(item);
            return withText(item, entry.text(key(keyring, entry.conversationUuid())).orElse(MessageView.UNAVAILABLE));
        }
        AttributeValue created = item.get(IdempotencyItem.CREATED_MESSAGE);
        if (key.startsWith(IdempotencyItem.PREFIX) && created != null && created.hasM()) {
            Map<String, AttributeValue> copy = new HashMap<>(item);
            copy.put(IdempotencyItem.CREATED_MESSAGE, AttributeValue.fromM(opened(keyring, created.m())));
            return copy;
        }
        return item;
    }

    private static TextKey key(Keyring keyring, UUID conversation) {
        return keyring.forReading(conversation).await().indefinitely();
    }

    private static Map<String, AttributeValue> withText(Map<String, AttributeValue> item, String text) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        copy.put(MessagesTable.MESSAGE, AttributeValue.fromS(text));
        return copy;
    }
}
