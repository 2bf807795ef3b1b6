package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.TextKey;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * bin/ddb/rotate-keys UUID... [--reseal]: gives each conversation a new key (the primary of its
 * keyset, which keeps the older keys: new texts use it, older ones still open). With
 * {@code --reseal} it then seals the conversation's stored texts again under the new key (its messages
 * and both list entries; each a conditional UpdateItem on the ciphertext it read, so a concurrent move
 * is never overwritten), so that a key that leaked before the rotation opens none of them.
 */
final class RotateKeys {

    private final PrintStream out;

    RotateKeys(PrintStream out) {
        this.out = out;
    }

    void run(DynamoDbAsyncClient dynamo, ToolTarget target, Keyring keyring, List<String> rest) {
        List<String> args = new ArrayList<>(rest);
        boolean reseal = args.remove("--reseal");
        if (args.isEmpty()) {
            throw new ToolException(ToolException.USAGE, "usage: bin/ddb/rotate-keys MESSAGE_GROUP_UUID... [--reseal] [prod]");
        }
        List<UUID> conversations = new ArrayList<>();
        for (String arg : args) {
            conversations.add(Keys.parseUuid(arg).orElseThrow(() -> new ToolException(ToolException.USAGE, "not a conversation uuid: " + arg)));
        }
        TableClient table = TableClient.direct(dynamo, target.tableName(), target.groupIndex(), Caller.TOOLS);
        for (UUID conversation : conversations) {
            Keyring.Rotation rotation;
            try {
                rotation = keyring.rotate(conversation).await().indefinitely();
            } catch (Keyring.ErasedException e) {
                out.println(conversation + ": no key to rotate (erased, or no sealed text yet)");
                continue;
            }
            out.println(conversation + ": rotated, " + rotation.keys() + " keys in its keyset");
            if (reseal) {
                int[] counts = reseal(dynamo, target.tableName(), table, conversation, rotation.key());
                out.println(conversation + ": sealed again " + counts[0] + " messages, " + counts[1] + " list entries"
                        + (counts[2] > 0 ? "; " + counts[2] + " left (changed meanwhile, or not opening: run again, or see the log)" : ""));
            }
        }
    }

    /** Seals again the conversation's messages (read a page at a time) and its list entries; counts each kind and those left. */
    private static int[] reseal(DynamoDbAsyncClient dynamo, String tableName, TableClient table, UUID conversation, TextKey key) {
        int[] counts = new int[3];
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(query -> query.tableName(tableName)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", MessagesTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageItem.partition(conversation))))
                        .consistentRead(true))
                .items().subscribe(items::add).join();
        for (ListEntryItem entry : ListEntryItem.ofConversation(table, conversation).await().indefinitely()) {
            items.add(entry.toItem());
        }
        for (Map<String, AttributeValue> item : items) {
            StoredText stored = StoredText.of(item).orElse(null);
            Optional<String> text = stored == null ? Optional.empty() : stored.open(key);
            if (text.isPresent() && stored.replace(dynamo, tableName, item, key.seal(conversation, stored.sentAt(), text.get()))) {
                counts[stored.kind() == StoredText.Kind.MESSAGE ? 0 : 1]++;
            } else {
                counts[2]++;
            }
        }
        return counts;
    }
}
