package app.cruddur.messages.tools;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ConversationKeyItem;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.TableClient;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * bin/ddb/erase-conversation UUID: destroys a conversation's key (its key item keeps a tombstone, so
 * nothing makes a new one), then deletes its live items: its messages, both list entries, the
 * conversation and its pair. Every copy of its texts that remains anywhere (a backup, a PITR restore,
 * an export, the stream, an idempotency record until it expires) is ciphertext whose key is gone.
 * It needs no KMS rights: destroying a key reads none. Running it again finishes what a failed run left.
 */
final class EraseConversation {

    private final PrintStream out;
    private final Function<String, String> confirm;

    EraseConversation(PrintStream out, Function<String, String> confirm) {
        this.out = out;
        this.confirm = confirm;
    }

    void run(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, List<String> rest, boolean yes) {
        if (rest.size() != 1) {
            throw new ToolException(ToolException.USAGE, "usage: bin/ddb/erase-conversation MESSAGE_GROUP_UUID [prod] [--yes]");
        }
        UUID conversation = Keys.parseUuid(rest.get(0))
                .orElseThrow(() -> new ToolException(ToolException.USAGE, "not a conversation uuid: " + rest.get(0)));
        if (!yes) {
            String answer = confirm.apply("Erase conversation " + conversation + " in " + target.describe()
                    + ": its key is destroyed and no backup will show its texts again. Type its uuid to confirm: ");
            if (!conversation.toString().equals(answer == null ? "" : answer.strip())) {
                throw new ToolException(ToolException.FAILED, "not confirmed; nothing erased");
            }
        }
        String keyTable = KeyringSettings.of("", Optional.empty(), "", env, false).keyTable();
        TableClient keys = TableClient.direct(dynamo, keyTable, null, Caller.TOOLS);
        TableClient table = TableClient.direct(dynamo, target.tableName(), target.groupIndex(), Caller.TOOLS);

        // The key first: from this moment nothing of the conversation opens, whatever the deletes below do.
        ConversationKeyItem.erase(keys, conversation, Clock.systemUTC().instant()).await().indefinitely();
        out.println("key destroyed: " + ConversationKeyItem.partition(conversation) + " in " + keyTable + " (a tombstone stays)");

        List<Map<String, AttributeValue>> messages = table.partitionKeys(MessageItem.partition(conversation)).await().indefinitely();
        List<Map<String, AttributeValue>> entries = ListEntryItem.ofConversation(table, conversation).await().indefinitely().stream()
                .map(entry -> Keys.key(entry.pk(), entry.sk())).toList();
        List<Map<String, AttributeValue>> others = new ArrayList<>();
        Optional<ConversationItem> members = ConversationItem.find(table, conversation).await().indefinitely();
        members.ifPresent(found -> {
            others.add(ConversationItem.key(conversation));
            List<UUID> pair = List.copyOf(found.memberUuids());
            if (pair.size() == 2) {
                others.add(PairItem.key(pair.get(0), pair.get(1)));
            }
        });
        BatchWriter writer = BatchWriter.of(dynamo);
        writer.deleteAll(target.tableName(), messages).await().indefinitely();
        writer.deleteAll(target.tableName(), entries).await().indefinitely();
        writer.deleteAll(target.tableName(), others).await().indefinitely();
        out.println("deleted from " + target.tableName() + ": " + messages.size() + " messages, " + entries.size() + " list entries"
                + (members.isPresent() ? ", the conversation and its pair" : " (no conversation item: erased before)"));
        out.println("left as ciphertext without a key: the table's backups, PITR restores and exports, and the stored answers of"
                + " idempotent posts until they expire; the key table's own point-in-time recovery keeps the key for its"
                + " window (1 day in the stack). Running services read the key again, and find it gone, within cruddur.messages.encryption.cached-key-life (5 min).");
    }
}
