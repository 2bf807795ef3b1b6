package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * bin/ddb/encrypt-texts: seals the texts stored before texts were sealed, in place. Every item with a
 * plain text (a message, a list entry's copy, an idempotency record's message) gets it sealed with its
 * conversation's key (made when the conversation has none) by a conditional UpdateItem that applies
 * only while the text is still the plain one it read, so a concurrent post or move is never
 * overwritten and a second run changes nothing. It prints a resume point after each page of the
 * scan; {@code --from POINT} continues there. Texts of an erased conversation are left alone and
 * counted: erase-conversation deletes them.
 */
final class EncryptTexts {

    private final PrintStream out;

    EncryptTexts(PrintStream out) {
        this.out = out;
    }

    /** What a run did. */
    record Counts(long scanned, long sealedMessages, long sealedEntries, long sealedRecords, long alreadySealed, long changedMeanwhile,
                  long erased) {
    }

    Counts run(DynamoDbAsyncClient dynamo, ToolTarget target, Keyring keyring, List<String> rest) {
        Map<String, AttributeValue> start = null;
        if (rest.size() == 2 && rest.get(0).equals("--from")) {
            start = point(rest.get(1));
        } else if (!rest.isEmpty()) {
            throw new ToolException(ToolException.USAGE, "usage: bin/ddb/encrypt-texts [--from POINT] [prod]");
        }
        long scanned = 0;
        long[] sealed = new long[3];
        long already = 0;
        long changed = 0;
        long erased = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(target.tableName()).exclusiveStartKey(from)).join();
            for (Map<String, AttributeValue> item : page.items()) {
                scanned++;
                Plain plain = plainText(item);
                if (plain == null) {
                    if (hasText(item)) {
                        already++;
                    }
                    continue;
                }
                TextKey key;
                try {
                    key = keyring.forWriting(plain.conversation()).await().indefinitely();
                } catch (Keyring.ErasedException e) {
                    erased++;
                    continue;
                }
                String sealedText = key.seal(plain.conversation(), plain.sentAt(), plain.text());
                try {
                    dynamo.updateItem(update(target.tableName(), item, plain, sealedText)).join();
                    sealed[plain.kind()]++;
                } catch (CompletionException e) {
                    if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                        throw e;
                    }
                    changed++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                out.println("resume point: " + point(start));
            }
        } while (start != null);
        Counts counts = new Counts(scanned, sealed[0], sealed[1], sealed[2], already, changed, erased);
        out.println("items scanned: " + counts.scanned());
        out.println("sealed: " + counts.sealedMessages() + " messages, " + counts.sealedEntries() + " list entries, "
                + counts.sealedRecords() + " idempotency records");
        out.println("already sealed: " + counts.alreadySealed());
        out.println("changed meanwhile (run again): " + counts.changedMeanwhile());
        out.println("of erased conversations (bin/ddb/erase-conversation deletes them): " + counts.erased());
        return counts;
    }

    /** A plain text to seal: where it is (0 message, 1 list entry, 2 idempotency record) and what binds it. */
    private record Plain(int kind, UUID conversation, Instant sentAt, String text) {
    }

    private static Plain plainText(Map<String, AttributeValue> item) {
        String pk = item.get(MessagesTable.PK).s();
        AttributeValue text = item.get(MessagesTable.MESSAGE);
        if (pk.startsWith(MessageItem.PREFIX) && isPlain(text)) {
            MessageItem message = MessageItem.from(item);
            return new Plain(0, message.conversationUuid(), message.createdAt(), message.message());
        }
        if (pk.startsWith(ListEntryItem.PREFIX) && isPlain(text)) {
            ListEntryItem entry = ListEntryItem.from(item);
            return new Plain(1, entry.conversationUuid(), entry.lastReplyAt(), entry.message());
        }
        AttributeValue created = item.get(IdempotencyItem.CREATED_MESSAGE);
        if (pk.startsWith(IdempotencyItem.PREFIX) && created != null && created.hasM() && isPlain(created.m().get(MessagesTable.MESSAGE))) {
            MessageItem message = MessageItem.from(created.m());
            return new Plain(2, message.conversationUuid(), message.createdAt(), message.message());
        }
        return null;
    }

    private static boolean hasText(Map<String, AttributeValue> item) {
        return item.containsKey(MessagesTable.MESSAGE) || item.containsKey(IdempotencyItem.CREATED_MESSAGE);
    }

    private static boolean isPlain(AttributeValue text) {
        return text != null && text.s() != null && !TextKey.isSealed(text.s());
    }

    /** SET the text to its sealed form, only while it is still the plain text that was read. */
    private static UpdateItemRequest update(String table, Map<String, AttributeValue> item, Plain plain, String sealed) {
        String path = plain.kind() == 2 ? "#c.#m" : "#m";
        Map<String, String> names = plain.kind() == 2
                ? Map.of("#c", IdempotencyItem.CREATED_MESSAGE, "#m", MessagesTable.MESSAGE)
                : Map.of("#m", MessagesTable.MESSAGE);
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(MessagesTable.PK, item.get(MessagesTable.PK), MessagesTable.SK, item.get(MessagesTable.SK)))
                .updateExpression("SET " + path + " = :sealed")
                .conditionExpression(path + " = :plain")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":sealed", AttributeValue.fromS(sealed), ":plain", AttributeValue.fromS(plain.text())))
                .build();
    }

    /** A scan's resume point as one word: the key's pk and sk, base64 each. */
    static String point(Map<String, AttributeValue> key) {
        return encode(key.get(MessagesTable.PK).s()) + "." + encode(key.get(MessagesTable.SK).s());
    }

    static Map<String, AttributeValue> point(String word) {
        String[] parts = word.split("\\.", -1);
        if (parts.length != 2) {
            throw new ToolException(ToolException.USAGE, "not a resume point: " + word);
        }
        try {
            return Map.of(MessagesTable.PK, AttributeValue.fromS(decode(parts[0])), MessagesTable.SK, AttributeValue.fromS(decode(parts[1])));
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolException.USAGE, "not a resume point: " + word);
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String decode(String word) {
        return new String(Base64.getUrlDecoder().decode(word), java.nio.charset.StandardCharsets.UTF_8);
    }
}
