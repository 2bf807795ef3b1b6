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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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
            TextKey key;
            try {
                key = keyring.rotate(conversation).await().indefinitely();
            } catch (Keyring.ErasedException e) {
                out.println(conversation + ": no key to rotate (erased, or no sealed text yet)");
                continue;
            }
            out.println(conversation + ": rotated, " + keyring.keyCount(conversation).await().indefinitely() + " keys in its keyset");
            if (reseal) {
                int[] counts = reseal(dynamo, target.tableName(), table, conversation, key);
                out.println(conversation + ": sealed again " + counts[0] + " messages, " + counts[1] + " list entries"
                        + (counts[2] > 0 ? "; " + counts[2] + " left (changed meanwhile, or not opening: run again, or see the log)" : ""));
            }
        }
    }

    private static int[] reseal(DynamoDbAsyncClient dynamo, String tableName, TableClient table, UUID conversation, TextKey key) {
        int[] counts = new int[3];
        for (Map<String, AttributeValue> itemKey : table.partitionKeys(MessageItem.partition(conversation)).await().indefinitely()) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(itemKey).consistentRead(true)).join().item();
            if (item == null || item.isEmpty()) {
                continue;
            }
            MessageItem message = MessageItem.from(item);
            if (resealOne(dynamo, tableName, itemKey, message.message(), message.text(key), conversation, message.createdAt(), key)) {
                counts[0]++;
            } else {
                counts[2]++;
            }
        }
        for (ListEntryItem entry : ListEntryItem.ofConversation(table, conversation).await().indefinitely()) {
            if (resealOne(dynamo, tableName, Keys.key(entry.pk(), entry.sk()), entry.message(), entry.text(key), conversation,
                    entry.lastReplyAt(), key)) {
                counts[1]++;
            } else {
                counts[2]++;
            }
        }
        return counts;
    }

    private static boolean resealOne(DynamoDbAsyncClient dynamo, String tableName, Map<String, AttributeValue> itemKey, String stored,
                                     Optional<String> text, UUID conversation, Instant sentAt, TextKey key) {
        if (text.isEmpty()) {
            return false;
        }
        try {
            dynamo.updateItem(b -> b.tableName(tableName).key(itemKey)
                    .updateExpression("SET #m = :sealed")
                    .conditionExpression("#m = :stored")
                    .expressionAttributeNames(Map.of("#m", MessagesTable.MESSAGE))
                    .expressionAttributeValues(Map.of(":sealed", AttributeValue.fromS(key.seal(conversation, sentAt, text.get())),
                            ":stored", AttributeValue.fromS(stored)))).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }
}
