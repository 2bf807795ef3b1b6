package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.MessageView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The text an item of the messages table holds, where it holds it and what binds it: a message's
 * {@code message}, a list entry's copy of its last message, an idempotency record's message. The
 * tools that print, seal or seal again texts read and write them through it.
 */
record StoredText(Kind kind, UUID conversation, Instant sentAt, String stored) {

    enum Kind { MESSAGE, LIST_ENTRY, IDEMPOTENCY_RECORD }

    /** The text of {@code item}, if it is an item that holds one. */
    static Optional<StoredText> of(Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(MessagesTable.PK);
        String key = pk == null || pk.s() == null ? "" : pk.s();
        if (key.startsWith(MessageItem.PREFIX) && isString(item.get(MessagesTable.MESSAGE))) {
            MessageItem message = MessageItem.from(item);
            return Optional.of(new StoredText(Kind.MESSAGE, message.conversationUuid(), message.createdAt(), message.message()));
        }
        if (key.startsWith(ListEntryItem.PREFIX) && isString(item.get(MessagesTable.MESSAGE))) {
            ListEntryItem entry = ListEntryItem.from(item);
            return Optional.of(new StoredText(Kind.LIST_ENTRY, entry.conversationUuid(), entry.lastReplyAt(), entry.message()));
        }
        AttributeValue created = item.get(IdempotencyItem.CREATED_MESSAGE);
        if (key.startsWith(IdempotencyItem.PREFIX) && created != null && created.hasM() && isString(created.m().get(MessagesTable.MESSAGE))) {
            MessageItem message = MessageItem.from(created.m());
            return Optional.of(new StoredText(Kind.IDEMPOTENCY_RECORD, message.conversationUuid(), message.createdAt(), message.message()));
        }
        return Optional.empty();
    }

    /** The item with the text it holds opened with its conversation's key (or shown as unavailable); other items as they are. */
    static Map<String, AttributeValue> opened(Keyring keyring, Map<String, AttributeValue> item) {
        return of(item).map(text -> text.withText(item, text.open(keyring.forReading(text.conversation()).await().indefinitely())
                .orElse(MessageView.UNAVAILABLE))).orElse(item);
    }

    boolean sealed() {
        return TextKey.isSealed(stored);
    }

    Optional<String> open(TextKey key) {
        return key.open(conversation, sentAt, stored);
    }

    /** {@code item} with {@code text} where this text is. */
    Map<String, AttributeValue> withText(Map<String, AttributeValue> item, String text) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        if (kind == Kind.IDEMPOTENCY_RECORD) {
            Map<String, AttributeValue> message = new HashMap<>(item.get(IdempotencyItem.CREATED_MESSAGE).m());
            message.put(MessagesTable.MESSAGE, AttributeValue.fromS(text));
            copy.put(IdempotencyItem.CREATED_MESSAGE, AttributeValue.fromM(message));
        } else {
            copy.put(MessagesTable.MESSAGE, AttributeValue.fromS(text));
        }
        return copy;
    }

    /**
     * Stores {@code text} in place of this one in {@code item}, by an UpdateItem that applies only
     * while the stored text is still this one, so a concurrent post or move is never overwritten.
     * False when it changed meanwhile.
     */
    boolean replace(DynamoDbAsyncClient dynamo, String table, Map<String, AttributeValue> item, String text) {
        String path = kind == Kind.IDEMPOTENCY_RECORD ? "#c.#m" : "#m";
        Map<String, String> names = kind == Kind.IDEMPOTENCY_RECORD
                ? Map.of("#c", IdempotencyItem.CREATED_MESSAGE, "#m", MessagesTable.MESSAGE)
                : Map.of("#m", MessagesTable.MESSAGE);
        try {
            dynamo.updateItem(update -> update
                    .tableName(table)
                    .key(Map.of(MessagesTable.PK, item.get(MessagesTable.PK), MessagesTable.SK, item.get(MessagesTable.SK)))
                    .updateExpression("SET " + path + " = :text")
                    .conditionExpression(path + " = :stored")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":text", AttributeValue.fromS(text), ":stored", AttributeValue.fromS(stored))))
                    .join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isString(AttributeValue value) {
        return value != null && value.s() != null;
    }
}
