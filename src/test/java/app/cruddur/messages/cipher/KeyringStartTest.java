package app.cruddur.messages.cipher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TextKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The keyring's start against the local stack's DynamoDB and KMS: the first start makes the wrapping
 * key, every later one (another instance) uses it; a missing or wrong KMS key stops the start with a
 * message that names the setting.
 */
class KeyringStartTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static LocalStackProcess stack;
    private static DynamoDbAsyncClient dynamo;

    @BeforeAll
    static void stack() {
        stack = LocalStackTestResource.started();
        dynamo = LocalDynamoDb.client(stack.dynamodbEndpoint());
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void twoInstancesShareTheWrappingKeyAndEachOthersConversationKeys() {
        String table = "keys-" + UUID.randomUUID();
        Keyring first = start(config(table, stack.kmsKeyId(), "cruddur-messages"));
        Keyring second = start(config(table, stack.kmsKeyId(), "cruddur-messages"));
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-06T10:00:00Z");

        String sealed = first.forNewConversation(conversation).await().atMost(WAIT).seal(conversation, at, "between instances");

        TextKey read = second.forReading(conversation).await().atMost(WAIT);
        assertEquals(Optional.of("between instances"), read.open(conversation, at, sealed));
        assertEquals(Optional.of("between instances"),
                second.forWriting(conversation).await().atMost(WAIT).open(conversation, at, sealed), "no second key is made");
    }

    @Test
    void aKmsKeyThatDoesNotExistStopsTheStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start(config("keys-" + UUID.randomUUID(), "alias/no-such-key", "cruddur-messages")));

        assertTrue(refused.getMessage().contains("cruddur.messages.encryption.kms-key-id"), refused.getMessage());
        assertTrue(refused.getMessage().contains("NotFoundException"), refused.getMessage());
    }

    @Test
    void aWrappingKeyOfAnotherKmsKeyStopsTheStart() {
        String table = "keys-" + UUID.randomUUID();
        start(config(table, stack.kmsKeyId(), "cruddur-messages"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start(config(table, "alias/no-such-key", "cruddur-messages")));

        assertTrue(refused.getMessage().startsWith("The wrapping key in " + table), refused.getMessage());
        assertTrue(refused.getMessage().contains("NotFoundException"), refused.getMessage());
    }

    @Test
    void aWrappingKeyOfAnotherTableStopsTheStart() {
        String table = "keys-" + UUID.randomUUID();
        start(config(table, stack.kmsKeyId(), "cruddur-messages"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start(config(table, stack.kmsKeyId(), "another-messages-table")));

        assertTrue(refused.getMessage().contains("InvalidCiphertextException"), refused.getMessage());
    }

    @Test
    void anErasedConversationTakesNoNewKeyAndOpensNothing() {
        Keyring keyring = start(config("keys-" + UUID.randomUUID(), stack.kmsKeyId(), "cruddur-messages"));
        Keyring other = start(config(keyring.keys().table(), stack.kmsKeyId(), "cruddur-messages"));
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        String sealed = keyring.forNewConversation(conversation).await().atMost(WAIT).seal(conversation, at, "to be erased");

        keyring.erase(conversation).await().atMost(WAIT);

        assertEquals(Optional.empty(), keyring.forReading(conversation).await().atMost(WAIT).open(conversation, at, sealed));
        assertEquals(Optional.empty(), other.forReading(conversation).await().atMost(WAIT).open(conversation, at, sealed));
        assertThrows(Keyring.ErasedException.class, () -> other.forWriting(conversation).await().atMost(WAIT));
        assertThrows(Keyring.ErasedException.class, () -> other.forNewConversation(conversation).await().atMost(WAIT));
    }

    @Test
    void anInstanceThatHeldTheKeyLearnsOfTheErasureWithinCachedKeyLife() {
        String table = "keys-" + UUID.randomUUID();
        Duration life = Duration.ofMillis(300);
        Keyring running = start(TestKeyrings.config(stack, table, "cruddur-messages", true).withCachedKeyLife(life));
        Keyring tool = start(config(table, stack.kmsKeyId(), "cruddur-messages"));
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        String sealed = running.forNewConversation(conversation).await().atMost(WAIT).seal(conversation, at, "in use");
        // In steady use: read again and again, which must not keep it in memory forever.
        assertEquals(Optional.of("in use"), running.forReading(conversation).await().atMost(WAIT).open(conversation, at, sealed));

        tool.erase(conversation).await().atMost(WAIT);

        // Read again and again meanwhile: a key in steady use must not stay in memory past its life.
        Await.until(life.multipliedBy(3),
                () -> running.forReading(conversation).await().atMost(WAIT).open(conversation, at, sealed).isEmpty(),
                () -> "still opening " + life.multipliedBy(3).toMillis() + " ms after the erasure");
        assertThrows(Keyring.ErasedException.class, () -> running.forWriting(conversation).await().atMost(WAIT));
    }

    private static Keyring start(EncryptionConfig config) {
        return Keyring.start(dynamo, config, new SimpleMeterRegistry(), Clock.systemUTC(), Caller.TOOLS);
    }

    static EncryptionConfig config(String keyTable, String kmsKeyId, String context) {
        return TestKeyrings.config(stack, keyTable, context, true).withKmsKeyId(kmsKeyId);
    }
}
