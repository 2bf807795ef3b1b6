package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.IdempotencyItem;
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
import java.util.ArrayList;
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
 * bin/ddb/encrypt-texts on a table written before texts were sealed: every plain text is sealed in
 * place (messages, list entries, idempotency records) and opens to what it was; sealed ones are left
 * as they are; an erased conversation's are counted, not sealed; a second run changes nothing.
 */
class EncryptTextsToolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TABLE = "encrypt-test-" + UUID.randomUUID();
    private static final String KEYS = TABLE + "-keys";

    @TempDir
    static Path temp;
    private static Map<String, String> env;
    private static DynamoDbAsyncClient dynamo;
    private static Keyring keyring;

    @BeforeAll
    static void tables() throws Exception {
        LocalStackProcess stack = LocalStackTestResource.started();
        Path coordinates = temp.resolve("coordinates.json");
        new ObjectMapper().writeValue(coordinates.toFile(), stack.coordinates());
        env = Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", TABLE,
                "MESSAGES_KEY_TABLE_NAME", KEYS);
        assertEquals(0, run("schema-load").code());
        dynamo = ToolTarget.resolve(false, env).dynamo();
        keyring = Keyring.start(dynamo, app.cruddur.messages.support.TestKeyrings.config(stack, KEYS, "cruddur-messages", true),
                new SimpleMeterRegistry(), Clock.systemUTC(), Caller.TOOLS);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void sealsEveryPlainTextOnceAndLeavesTheRest() {
        UUID plain = UUID.randomUUID();
        UUID sealedAlready = UUID.randomUUID();
        UUID erased = UUID.randomUUID();
        Instant at = Instant.parse("2025-05-01T10:00:00Z");
        List<MessageItem> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(message(plain, at.plusSeconds(i), "from before sealing " + i));
        }
        MessageItem last = old.get(2);
        UUID owner = UUID.randomUUID();
        ListEntryItem entry = new ListEntryItem(owner, last.createdAt(), plain, last.message(), last.userUuid(), "Sender", "sender");
        IdempotencyItem record = new IdempotencyItem(last.userUuid(), "key-1", "hash", last, Instant.now().plusSeconds(3600));
        TextKey key = keyring.forNewConversation(sealedAlready).await().atMost(WAIT);
        MessageItem sealed = MessageItem.sealed(key, sealedAlready, at, UUID.randomUUID(), "sealed from the start", UUID.randomUUID(),
                "Sender", "sender");
        MessageItem ofErased = message(erased, at, "of an erased conversation");
        keyring.forNewConversation(erased).await().atMost(WAIT);
        keyring.erase(erased).await().atMost(WAIT);
        List<Map<String, AttributeValue>> items = new ArrayList<>(old.stream().map(MessageItem::toItem).toList());
        items.addAll(List.of(entry.toItem(), record.toItem(), sealed.toItem(), ofErased.toItem()));
        BatchWriter.of(dynamo).putAll(TABLE, items).await().atMost(WAIT);

        ToolRun first = run("encrypt-texts");

        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("items scanned: 7"), first.out());
        assertTrue(first.out().contains("sealed: 3 messages, 1 list entries, 1 idempotency records"), first.out());
        assertTrue(first.out().contains("already sealed: 1"), first.out());
        assertTrue(first.out().contains("of erased conversations (bin/ddb/erase-conversation deletes them): 1"), first.out());
        TextKey made = keyring.forReading(plain).await().atMost(WAIT);
        for (MessageItem message : old) {
            MessageItem stored = MessageItem.from(get(message.pk(), message.sk()));
            assertTrue(TextKey.isSealed(stored.message()), stored.message());
            assertEquals(message.message(), stored.text(made).orElseThrow());
        }
        ListEntryItem storedEntry = ListEntryItem.from(get(entry.pk(), entry.sk()));
        assertEquals(last.message(), storedEntry.text(made).orElseThrow());
        MessageItem storedRecord = MessageItem.from(get(IdempotencyItem.partition(record.userUuid(), "key-1"), IdempotencyItem.SK)
                .get(IdempotencyItem.CREATED_MESSAGE).m());
        assertTrue(TextKey.isSealed(storedRecord.message()));
        assertEquals(last.message(), storedRecord.text(made).orElseThrow());
        assertEquals(sealed.message(), MessageItem.from(get(sealed.pk(), sealed.sk())).message(), "a sealed text is left as it is");
        assertEquals(ofErased.message(), MessageItem.from(get(ofErased.pk(), ofErased.sk())).message(), "not sealed: erased");

        ToolRun second = run("encrypt-texts");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("sealed: 0 messages, 0 list entries, 0 idempotency records"), second.out());
        assertTrue(second.out().contains("already sealed: 6"), second.out());
    }

    @Test
    void aResumePointIsOneWordThatContinuesTheScan() {
        Map<String, AttributeValue> key = Map.of(MessagesTable.PK, AttributeValue.fromS("MSG#" + UUID.randomUUID()),
                MessagesTable.SK, AttributeValue.fromS("2025-05-01T10:00:00.000000+00:00"));
        String point = EncryptTexts.point(key);
        assertFalse(point.contains(" "), point);
        assertEquals(key, EncryptTexts.point(point));
        assertEquals(0, run("encrypt-texts", "--from", point).code());
        assertEquals(2, run("encrypt-texts", "--from", "not a point").code());
        assertEquals(2, run("encrypt-texts", "extra").code());
    }

    private static MessageItem message(UUID conversation, Instant at, String text) {
        return new MessageItem(conversation, at, UUID.randomUUID(), text, UUID.randomUUID(), "Sender", "sender");
    }

    private static Map<String, AttributeValue> get(String pk, String sk) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(Map.of(MessagesTable.PK, AttributeValue.fromS(pk),
                MessagesTable.SK, AttributeValue.fromS(sk))).consistentRead(true)).join().item();
    }

    private static ToolRun run(String... args) {
        return ToolRun.of(out -> new DdbTool(out, question -> "")::run, env, args);
    }
}
