package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import java.io.PrintStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

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
                Optional<StoredText> text = StoredText.of(item);
                if (text.isEmpty()) {
                    continue;
                }
                StoredText plain = text.get();
                if (plain.sealed()) {
                    already++;
                    continue;
                }
                TextKey key;
                try {
                    key = keyring.forWriting(plain.conversation()).await().indefinitely();
                } catch (Keyring.ErasedException e) {
                    erased++;
                    continue;
                }
                if (plain.replace(dynamo, target.tableName(), item, key.seal(plain.conversation(), plain.sentAt(), plain.stored()))) {
                    sealed[plain.kind().ordinal()]++;
                } else {
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
