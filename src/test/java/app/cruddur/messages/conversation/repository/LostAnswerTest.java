package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.Caller;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.support.FaultProxy;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.wiring.TableConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.TextKey;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * DynamoDB applies a write and its answer is lost on the way back, so the SDK sends the write
 * again. The repository writes through a {@link FaultProxy} that drops exactly that answer, and
 * reads what was stored straight from DynamoDB Local: each write counts once.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class LostAnswerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ConversationConfig config;
    @Inject
    Keyring keyring;

    @Inject
    TableConfig tableConfig;
    @Inject
    Clock clock;
    /** Straight to DynamoDB Local, for reading back. */
    @Inject
    ConversationRepository direct;
    @Inject
    TableClient table;

    private FaultProxy proxy;
    private DynamoDbAsyncClient proxied;
    private ConversationRepository repository;

    @BeforeEach
    void throughTheProxy() {
        URI dynamodb = URI.create(Tokens.stack().dynamodbEndpoint());
        proxy = FaultProxy.start(dynamodb.getHost(), dynamodb.getPort());
        proxied = LocalDynamoDb.client("http://localhost:" + proxy.port());
        repository = new ConversationRepository(
                TableClient.direct(proxied, tableConfig.name(), tableConfig.groupIndex(), Caller.SERVICE), config, clock, TableChanges.NONE);
    }

    @AfterEach
    void close() {
        proxied.close();
        proxy.close();
    }

    @Test
    void aRetriedPutThatFindsItsOwnMessageStoresItOnce() {
        MessageItem message = message(UUID.randomUUID(), "stored once");
        proxy.loseNextAnswerTo("DynamoDB_20120810.PutItem");

        MessageItem stored = repository.append(message, Optional.empty(), key(message.conversationUuid())).await().atMost(WAIT);

        assertEquals(1, proxy.lostAnswers(), "the proxy dropped the put's answer");
        assertEquals(message.sk(), stored.sk(), "stored at its own time, not at the next free one");
        List<MessageItem> messages = stored(message.conversationUuid());
        assertEquals(1, messages.size(), "copies stored: " + messages);
        assertEquals(message.messageUuid(), messages.get(0).messageUuid());
    }

    @Test
    void aRetriedPutStillStepsAsideForAnotherMessageAtTheSameTime() {
        UUID group = UUID.randomUUID();
        MessageItem first = message(group, "first");
        direct.append(first, Optional.empty(), key(group)).await().atMost(WAIT);
        MessageItem second = MessageItem.sealed(key(group), group, first.createdAt(), UUID.randomUUID(), "second", first.userUuid(),
                first.userDisplayName(), first.userHandle());

        MessageItem stored = repository.append(second, Optional.empty(), key(group)).await().atMost(WAIT);

        assertTrue(stored.createdAt().isAfter(first.createdAt()), "moved to the next free microsecond");
        assertEquals(List.of("first", "second"), stored(group).stream().map(this::text).toList());
    }

    @Test
    void aRetriedTransactionThatOpensAConversationAppliesOnce() {
        UUID group = UUID.randomUUID();
        MessageItem first = message(group, "opening");
        UUID receiver = UUID.randomUUID();
        NewConversation conversation = NewConversation.of(group, first, receiver, "Receiver", "receiver");
        proxy.loseNextAnswerTo("DynamoDB_20120810.TransactWriteItems");

        repository.create(conversation, Optional.empty(), key(group)).await().atMost(WAIT);

        assertEquals(1, proxy.lostAnswers(), "the proxy dropped the transaction's answer");
        assertEquals(List.of("opening"), stored(group).stream().map(this::text).toList());
        assertEquals(Optional.of(group), PairItem.findGroup(table, first.userUuid(), receiver).await().atMost(WAIT));
        assertEquals(1, entriesOf(first.userUuid(), group).size());
        assertEquals(1, entriesOf(receiver, group).size());
    }

    @Test
    void aRetriedMoveOfTheGroupRowsAppliesOnce() {
        UUID group = UUID.randomUUID();
        MessageItem first = message(group, "opening");
        UUID receiver = UUID.randomUUID();
        direct.create(NewConversation.of(group, first, receiver, "Receiver", "receiver"), Optional.empty(), key(group)).await().atMost(WAIT);
        MessageItem reply = message(group, "reply");
        direct.append(reply, Optional.empty(), key(group)).await().atMost(WAIT);
        proxy.loseNextAnswerTo("DynamoDB_20120810.TransactWriteItems");

        repository.showInLists(reply, Set.of(first.userUuid(), receiver)).await().atMost(WAIT);

        assertEquals(1, proxy.lostAnswers(), "the proxy dropped the move's answer");
        for (UUID member : List.of(first.userUuid(), receiver)) {
            List<ListEntryItem> entries = entriesOf(member, group);
            assertEquals(1, entries.size(), "one entry per member: " + entries);
            assertEquals(reply.createdAt(), entries.get(0).lastReplyAt());
            assertEquals(Optional.of("reply"), entries.get(0).text(key(group)), "the entry copies the sealed reply, which opens");
        }
    }

    private MessageItem message(UUID group, String text) {
        return MessageItem.sealed(key(group), group, clock.instant(), UUID.randomUUID(), text, UUID.randomUUID(), "Sender", "sender");
    }

    private TextKey key(UUID group) {
        return keyring.forWriting(group).await().atMost(WAIT);
    }

    private String text(MessageItem message) {
        return message.text(key(message.conversationUuid())).orElseThrow();
    }

    private List<MessageItem> stored(UUID group) {
        List<MessageItem> newestFirst = new ArrayList<>(MessageItem.pageMessages(table, group, Optional.empty(), 100).await().atMost(WAIT).items());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private List<ListEntryItem> entriesOf(UUID owner, UUID group) {
        return ListEntryItem.listConversations(table, owner, Optional.empty(), 100).await().atMost(WAIT).items().stream()
                .filter(entry -> entry.conversationUuid().equals(group)).toList();
    }
}
