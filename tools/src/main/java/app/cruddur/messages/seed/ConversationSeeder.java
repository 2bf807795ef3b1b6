package app.cruddur.messages.seed;

import app.cruddur.messages.tools.BatchWriter;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes the seed conversation with BatchWriteItem. The conversation item is written last and
 * marks a finished seed: when it exists, seeding does nothing; when an earlier run stopped half
 * way, its messages are removed first, so the conversation is never duplicated.
 */
@ApplicationScoped
public class ConversationSeeder {

    public enum Outcome { SEEDED, ALREADY_SEEDED }

    private final TableClient client;
    private final BatchWriter batches;
    private final String table;
    private final Keyring keyring;

    @Inject
    public ConversationSeeder(DynamoDbAsyncClient dynamo, TableClient client, Keyring keyring) {
        this.client = client;
        this.batches = BatchWriter.of(dynamo);
        this.table = client.table();
        this.keyring = keyring;
    }

    /** For the command-line seed, which runs without the service's configuration. */
    public ConversationSeeder(DynamoDbAsyncClient dynamo, String table, String groupIndex, Keyring keyring) {
        this(dynamo, TableClient.direct(dynamo, table, groupIndex, Caller.TOOLS), keyring);
    }

    /** Seeds the conversation unless it is there, its texts sealed as the service seals them. */
    public Uni<Outcome> seed(Instant end) {
        return ConversationItem.find(client, SeedConversation.MESSAGE_GROUP_UUID).chain(found -> found.isPresent()
                ? Uni.createFrom().item(Outcome.ALREADY_SEEDED)
                : keyring.forWriting(SeedConversation.MESSAGE_GROUP_UUID).chain(key -> write(SeedConversation.endingAt(end, key))));
    }

    private Uni<Outcome> write(SeedConversation seed) {
        String messagesPk = MessageItem.partition(seed.conversation().conversationUuid());
        List<Map<String, AttributeValue>> rest = Stream.concat(
                seed.listEntries().stream().map(ListEntryItem::toItem),
                Stream.of(seed.pair().toItem())).toList();
        return client.as(Caller.TOOLS).partitionKeys(messagesPk)
                .chain(leftovers -> batches.deleteAll(table, leftovers))
                .chain(() -> batches.putAll(table, seed.messages().stream().map(MessageItem::toItem).toList()))
                .chain(() -> batches.putAll(table, rest))
                .chain(() -> batches.putAll(table, List.of(seed.conversation().toItem())))
                .replaceWith(Outcome.SEEDED);
    }
}
