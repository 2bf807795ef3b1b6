package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * bin/ddb/rotate-keys: a rotated conversation seals with a new key while its older texts still open,
 * and with --reseal its stored texts are sealed again under the new key.
 */
class RotateKeysToolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TABLE = "rotate-test-" + UUID.randomUUID();
    private static final String KEYS = TABLE + "-keys";

    @TempDir
    static Path temp;
    private static Map<String, String> env;
    private static DynamoDbAsyncClient dynamo;
    private static LocalStackProcess stack;

    @BeforeAll
    static void tables() throws Exception {
        stack = LocalStackTestResource.started();
        Path coordinates = temp.resolve("coordinates.json");
        new ObjectMapper().writeValue(coordinates.toFile(), stack.coordinates());
        env = Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", TABLE, "MESSAGES_KEY_TABLE_NAME", KEYS);
        assertEquals(0, run("schema-load").code());
        dynamo = ToolTarget.resolve(false, env).dynamo();
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void aRotatedConversationSealsWithItsNewKeyAndOpensEverything() {
        Keyring keyring = keyring();
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        TextKey first = keyring.forNewConversation(conversation).await().atMost(WAIT);
        MessageItem one = MessageItem.sealed(first, conversation, at, UUID.randomUUID(), "before the rotation", UUID.randomUUID(), "A", "a");
        MessageItem two = MessageItem.sealed(first, conversation, at.plusSeconds(1), UUID.randomUUID(), "also before", UUID.randomUUID(), "B", "b");
        ListEntryItem entry = new ListEntryItem(UUID.randomUUID(), two.createdAt(), conversation, two.message(), two.userUuid(), "B", "b");
        BatchWriter.of(dynamo).putAll(TABLE, List.of(one.toItem(), two.toItem(), entry.toItem())).await().atMost(WAIT);
        byte[] oldKeyId = keyId(one.message());

        ToolRun rotated = run("rotate-keys", conversation.toString());

        assertEquals(0, rotated.code(), rotated.err());
        assertEquals(conversation + ": rotated, 2 keys in its keyset", rotated.out().strip());
        // Another instance (started now) seals with the new key and still opens the older texts.
        Keyring other = keyring();
        TextKey now = other.forWriting(conversation).await().atMost(WAIT);
        String sealedNow = now.seal(conversation, at.plusSeconds(2), "after the rotation");
        assertNotEquals(Arrays.toString(oldKeyId), Arrays.toString(keyId(sealedNow)), "sealed with the new key");
        assertEquals("before the rotation", one.text(now).orElseThrow());
        assertEquals("after the rotation", now.open(conversation, at.plusSeconds(2), sealedNow).orElseThrow());

        ToolRun resealed = run("rotate-keys", conversation.toString(), "--reseal");

        assertEquals(0, resealed.code(), resealed.err());
        assertTrue(resealed.out().contains(conversation + ": sealed again 2 messages, 1 list entries"), resealed.out());
        TextKey latest = keyring().forReading(conversation).await().atMost(WAIT);
        MessageItem storedOne = MessageItem.from(get(one.pk(), one.sk()));
        ListEntryItem storedEntry = ListEntryItem.from(get(entry.pk(), entry.sk()));
        assertEquals("before the rotation", storedOne.text(latest).orElseThrow());
        assertEquals("also before", storedEntry.text(latest).orElseThrow());
        assertEquals(Arrays.toString(keyId(storedOne.message())), Arrays.toString(keyId(storedEntry.message())));
        assertNotEquals(Arrays.toString(oldKeyId), Arrays.toString(keyId(storedOne.message())), "no longer under the first key");

        assertEquals(2, run("rotate-keys").code());
        assertEquals(2, run("rotate-keys", "not-a-uuid").code());
    }

    /** Tink's key id in a sealed text: the 4 bytes after its version byte. */
    private static byte[] keyId(String sealed) {
        return Arrays.copyOfRange(Base64.getDecoder().decode(sealed.substring(TextKey.SEALED.length())), 1, 5);
    }

    private static Keyring keyring() {
        return Keyring.start(dynamo, TestKeyrings.config(stack, KEYS, "cruddur-messages", true), new SimpleMeterRegistry(),
                Clock.systemUTC(), Caller.TOOLS);
    }

    private static Map<String, AttributeValue> get(String pk, String sk) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(Map.of(MessagesTable.PK, AttributeValue.fromS(pk),
                MessagesTable.SK, AttributeValue.fromS(sk))).consistentRead(true)).join().item();
    }

    private static ToolRun run(String... args) {
        return ToolRun.of(out -> new DdbTool(out, question -> "")::run, env, args);
    }
}
