package app.cruddur.messages.conversation.service;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.PairItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.conversation.repository.ContentionException;
import app.cruddur.messages.conversation.repository.ConversationRepository;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.http.Problem;
import app.cruddur.messages.error.http.ProblemMapper;
import jakarta.ws.rs.core.Response;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ScriptedDynamo;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.User;
import app.cruddur.messages.user.UserDirectory;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.MessageView;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The branches a real table rarely takes: a transaction conflict, a sort key taken on every try,
 * an idempotency record gone between the write and the read, and a conversation's pair gone
 * between the two. DynamoDB Local holds the data; {@link ScriptedDynamo} stands in for the rare
 * answers, and a fixed clock makes every retry meet the same microseconds.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class RareBranchesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Keyring keyring;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    ConversationConfig config;

    @Inject
    TableConfig tableConfig;
    @Inject
    Clock clock;
    @Inject
    ConversationRepository repository;
    @Inject
    TableClient table;
    @Inject
    ConversationService service;
    @Inject
    ConversationMembers members;
    @Inject
    UserDirectory directory;
    @Inject
    UserRepository users;
    @Inject
    app.cruddur.messages.events.EventPublisher events;
    @Inject
    app.cruddur.messages.block.BlockService blocks;
    @Inject
    app.cruddur.messages.limits.RateLimiter limiter;

    @Test
    void aTransactionConflictIsRetriedAndTheMessageStoredOnce() {
        Conversation c = open("conflict");
        AtomicInteger conflicts = new AtomicInteger();
        ScriptedDynamo scripted = new ScriptedDynamo(dynamo).failTransactions(request ->
                conflicts.getAndIncrement() == 0 ? Optional.of(cancelled("TransactionConflict", "None")) : Optional.empty());
        ConversationService flaky = service(scripted, clock);

        MessageView stored = flaky.post(c.sender(), PostMessage.validate("after a conflict", c.group().toString(), null, 1024),
                Optional.of("key-" + UUID.randomUUID())).await().atMost(WAIT);

        assertEquals(1, scripted.scriptedFailures(), "one scripted conflict");
        assertEquals(1, stored(c.group()).stream().filter(m -> text(m).equals("after a conflict")).count());
        assertEquals(stored.uuid(), stored(c.group()).get(stored(c.group()).size() - 1).messageUuid().toString());
    }

    @Test
    void conflictsOnEveryTryEndIn503WriteContentionWithNothingStored() {
        Conversation c = open("conflicts");
        ScriptedDynamo scripted = new ScriptedDynamo(dynamo)
                .failTransactions(request -> Optional.of(cancelled("TransactionConflict", "None")));

        ContentionException e = assertThrows(ContentionException.class, () -> service(scripted, clock)
                .post(c.sender(), PostMessage.validate("never", c.group().toString(), null, 1024), Optional.of("key-" + UUID.randomUUID()))
                .await().atMost(WAIT));

        assertAnswered(e, 503, ErrorCode.WRITE_CONTENTION);
        assertTrue(scripted.scriptedFailures() > 1, "retried before giving up");
        assertTrue(stored(c.group()).stream().noneMatch(m -> text(m).equals("never")));
    }

    @Test
    void aSortKeyTakenOnEveryTryEndsIn503WriteContention() {
        Conversation c = open("taken");
        Instant at = Instant.parse("2025-03-01T08:00:00.000001Z");
        // Every microsecond the retries can move to is taken, and the fixed clock never moves on.
        for (int micro = 0; micro <= 10; micro++) {
            repository.append(MessageItem.sealed(key(c.group()), c.group(), at.plus(micro, ChronoUnit.MICROS), UUID.randomUUID(),
                    "taken " + micro, c.sender().uuid(), c.sender().displayName(), c.sender().handle()), Optional.empty(), key(c.group()))
                    .await().atMost(WAIT);
        }
        ConversationRepository stuck = new ConversationRepository(direct(dynamo), config, Clock.fixed(at, ZoneOffset.UTC), TableChanges.NONE);
        MessageItem message = MessageItem.sealed(key(c.group()), c.group(), at, UUID.randomUUID(), "no room", c.sender().uuid(),
                c.sender().displayName(), c.sender().handle());

        ContentionException e = assertThrows(ContentionException.class,
                () -> stuck.append(message, Optional.empty(), key(c.group())).await().atMost(WAIT));

        assertAnswered(e, 503, ErrorCode.WRITE_CONTENTION);
        assertTrue(stored(c.group()).stream().noneMatch(m -> m.messageUuid().equals(message.messageUuid())));
    }

    @Test
    void anIdempotencyRecordGoneBeforeItIsReadIs409IdempotencyKeyConflict() {
        Conversation c = open("gone");
        String key = "key-" + UUID.randomUUID();
        PostMessage command = PostMessage.validate("once", c.group().toString(), null, 1024);
        service.post(c.sender(), command, Optional.of(key)).await().atMost(WAIT);
        // The record expires (TTL) between the retry's write, which finds the key taken, and its read.
        ScriptedDynamo scripted = new ScriptedDynamo(dynamo).hideItems(request ->
                request.key().get(MessagesTable.PK).s().startsWith(IdempotencyItem.PREFIX));

        ApiException e = assertThrows(ApiException.class,
                () -> service(scripted, clock).post(c.sender(), command, Optional.of(key)).await().atMost(WAIT));

        assertEquals(ErrorCode.IDEMPOTENCY_KEY_CONFLICT, e.code());
        assertEquals(409, e.status());
        assertEquals(1, stored(c.group()).stream().filter(m -> text(m).equals("once")).count());
    }

    @Test
    void aPairGoneAfterItBlockedANewConversationIs503WithNothingStored() {
        TestUser a = TestUsers.register(users, "pair");
        TestUser b = TestUsers.register(users, "pair");
        // The pair item blocks the new conversation's transaction, and is gone when read back.
        ScriptedDynamo scripted = new ScriptedDynamo(dynamo)
                .failTransactions(request -> Optional.of(cancelled("ConditionalCheckFailed", "None", "None", "None", "None")))
                .hideItems(request -> request.key().get(MessagesTable.PK).s().startsWith(PairItem.PREFIX));

        ContentionException e = assertThrows(ContentionException.class, () -> service(scripted, clock)
                .post(user(a), PostMessage.validate("hello", null, b.handle(), 1024), Optional.empty()).await().atMost(WAIT));

        assertAnswered(e, 503, ErrorCode.WRITE_CONTENTION);
        assertEquals(Optional.empty(), PairItem.findGroup(table, a.uuid(), b.uuid()).await().atMost(WAIT));
    }

    private record Conversation(User sender, UUID group) {
    }

    private Conversation open(String prefix) {
        TestUser a = TestUsers.register(users, prefix);
        TestUser b = TestUsers.register(users, prefix);
        MessageView first = service.post(user(a), PostMessage.validate("open", null, b.handle(), 1024), Optional.empty())
                .await().atMost(WAIT);
        return new Conversation(user(a), UUID.fromString(first.conversationUuid()));
    }

    private ConversationService service(DynamoDbAsyncClient client, Clock at) {
        TableClient scriptedTable = direct(client);
        ConversationRepository scripted = new ConversationRepository(scriptedTable, config, at, TableChanges.NONE);
        return new ConversationService(scripted, scriptedTable, members, directory, config, at, events, blocks, limiter, keyring);
    }

    private List<MessageItem> stored(UUID group) {
        List<MessageItem> oldestFirst = new ArrayList<>(MessageItem.pageMessages(table, group, Optional.empty(), 100).await().atMost(WAIT).items());
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private TextKey key(UUID group) {
        return keyring.forWriting(group).await().atMost(WAIT);
    }

    private String text(MessageItem message) {
        return message.text(key(message.conversationUuid())).orElseThrow();
    }

    private TableClient direct(DynamoDbAsyncClient client) {
        return TableClient.direct(client, tableConfig.name(), tableConfig.groupIndex(), Caller.SERVICE);
    }

    /** What a caller gets for it: the problem the HTTP layer answers with. */
    private static void assertAnswered(ContentionException e, int status, ErrorCode code) {
        Response answer = new ProblemMapper(null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).api(e);
        assertEquals(status, answer.getStatus());
        assertEquals(code.code(), ((Problem) answer.getEntity()).code());
        assertEquals("1", answer.getHeaderString("Retry-After"));
    }

    private static User user(TestUser user) {
        return new User(user.uuid(), user.handle(), user.displayName());
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder()
                .message("Transaction cancelled (scripted)")
                .cancellationReasons(java.util.Arrays.stream(codes).map(code -> CancellationReason.builder().code(code).build()).toList())
                .build();
    }
}
