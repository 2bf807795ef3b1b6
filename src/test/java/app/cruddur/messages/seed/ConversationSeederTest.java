package app.cruddur.messages.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.tools.BatchWriter;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.table.Timestamps;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.TextKey;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The dev seed conversation, written to DynamoDB Local and read back. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ConversationSeederTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ConversationSeeder seeder;
    @Inject
    Keyring keyring;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;

    private String table;

    @BeforeEach
    void removeEarlierSeed() {
        table = tableConfig.name();
        List<Map<String, AttributeValue>> keys = new ArrayList<>(allKeys(MessageItem.partition(SeedConversation.MESSAGE_GROUP_UUID)));
        keys.add(ConversationItem.key(SeedConversation.MESSAGE_GROUP_UUID));
        for (SeedUsers.SeedUser user : List.of(SeedUsers.ANDREW_BROWN, SeedUsers.BAYKO)) {
            keys.addAll(allKeys(ListEntryItem.partition(user.uuid())));
        }
        BatchWriter.of(dynamo).deleteAll(table, keys).await().atMost(WAIT);
    }

    @Test
    void seedsAtLeastAHundredMessagesEndingNowWithBothGroupRowsShowingTheLastOne() {
        Instant end = Instant.now();
        assertEquals(ConversationSeeder.Outcome.SEEDED, seeder.seed(end).await().atMost(WAIT));

        List<MessageItem> messages = messages();
        assertTrue(messages.size() >= 100, "seeded " + messages.size());
        MessageItem last = messages.get(messages.size() - 1);
        assertEquals(Timestamps.truncate(end), last.createdAt());
        assertTrue(messages.get(0).createdAt().isBefore(end.minus(Duration.ofHours(24))), "spread over days");
        assertEquals(messages.size(), messages.stream().map(MessageItem::messageUuid).distinct().count());
        assertEquals(2, messages.stream().map(MessageItem::userHandle).distinct().count());
        // Sealed as the service seals them, and they open with the conversation's key.
        TextKey key = keyring.forReading(SeedConversation.MESSAGE_GROUP_UUID).await().atMost(WAIT);
        assertTrue(messages.stream().allMatch(message -> TextKey.isSealed(message.message())));
        assertTrue(messages.stream().allMatch(message -> message.text(key).isPresent()));

        for (SeedUsers.SeedUser owner : List.of(SeedUsers.ANDREW_BROWN, SeedUsers.BAYKO)) {
            List<ListEntryItem> entries = query(ListEntryItem.partition(owner.uuid())).items().stream().map(ListEntryItem::from).toList();
            assertEquals(1, entries.size());
            ListEntryItem entry = entries.get(0);
            assertEquals(SeedConversation.MESSAGE_GROUP_UUID, entry.conversationUuid());
            assertEquals(last.message(), entry.message());
            assertEquals(last.createdAt(), entry.lastReplyAt());
        }
        String bayko = query(ListEntryItem.partition(SeedUsers.ANDREW_BROWN.uuid())).items().get(0).get(MessagesTable.USER_HANDLE).s();
        assertEquals("bayko", bayko);
    }

    @Test
    void seedingAgainDoesNotDuplicate() {
        seeder.seed(Instant.now().minus(Duration.ofMinutes(5))).await().atMost(WAIT);
        int count = messages().size();

        assertEquals(ConversationSeeder.Outcome.ALREADY_SEEDED, seeder.seed(Instant.now()).await().atMost(WAIT));
        assertEquals(count, messages().size());
        assertEquals(1, query(ListEntryItem.partition(SeedUsers.BAYKO.uuid())).count());
    }

    @Test
    void aHalfFinishedSeedIsReplacedNotAddedTo() {
        TextKey key = keyring.forWriting(SeedConversation.MESSAGE_GROUP_UUID).await().atMost(WAIT);
        SeedConversation earlier = SeedConversation.endingAt(Instant.now().minus(Duration.ofHours(3)), key);
        BatchWriter.of(dynamo).putAll(table, earlier.messages().subList(0, 40).stream().map(MessageItem::toItem).toList())
                .await().atMost(WAIT);

        assertEquals(ConversationSeeder.Outcome.SEEDED, seeder.seed(Instant.now()).await().atMost(WAIT));
        assertEquals(SeedConversation.endingAt(Instant.now(), key).messages().size(), messages().size());
    }

    @Test
    void theSeedPairIsTheConversationThatMessagingBaykoReuses() {
        seeder.seed(Instant.now()).await().atMost(WAIT);
        Map<String, AttributeValue> pair = dynamo.getItem(PairItem.findRequest(table, SeedUsers.BAYKO.uuid(),
                SeedUsers.ANDREW_BROWN.uuid())).join().item();
        assertEquals(SeedConversation.MESSAGE_GROUP_UUID.toString(), pair.get("pair_group_uuid").s());
    }

    private List<MessageItem> messages() {
        List<MessageItem> newestFirst = new ArrayList<>();
        Optional<String> before = Optional.empty();
        while (true) {
            QueryResponse page = dynamo.query(MessageItem.pageRequest(table, SeedConversation.MESSAGE_GROUP_UUID,
                    before, 100)).join();
            List<MessageItem> items = page.items().stream().limit(100).map(MessageItem::from).toList();
            newestFirst.addAll(items);
            if (page.items().size() <= 100) {
                break;
            }
            before = Optional.of(Timestamps.format(items.get(items.size() - 1).createdAt()));
        }
        List<MessageItem> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private QueryResponse query(String pk) {
        return dynamo.query(TableClient.partitionKeysRequest(table, pk, null).toBuilder().projectionExpression(null)
                .expressionAttributeNames(Map.of("#pk", "pk")).build()).join();
    }

    private List<Map<String, AttributeValue>> allKeys(String pk) {
        return dynamo.query(TableClient.partitionKeysRequest(table, pk, null)).join().items();
    }
}
