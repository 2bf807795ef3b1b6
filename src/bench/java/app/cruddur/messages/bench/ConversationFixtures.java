package app.cruddur.messages.bench;

import app.cruddur.messages.tools.BatchWriter;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.NewConversation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Conversations written straight into the table with the service's own item types and requests, their
 * texts sealed as the service seals them:
 * a conversation is opened with the pattern-D transaction, its history is bulk-loaded with
 * {@link BatchWriter}.
 */
final class ConversationFixtures {

    /** The length of every generated message, close to a typical chat line. */
    static final int MESSAGE_CHARS = 100;
    private static final String FILLER = "Sure, that works for me. Let's go over the remaining details tomorrow "
            + "morning over coffee, before the stand-up starts. ";

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    ConversationFixtures(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The texts' keys of the local stack this JVM runs (its KMS key and the default key table), as the service's. */
    static synchronized Keyring keyring(DynamoDbAsyncClient dynamo) {
        if (keyring == null) {
            keyring = TestKeyrings.of(LocalStackProcess.current(), dynamo);
        }
        return keyring;
    }

    private static Keyring keyring;

    /** A conversation's key, made when it has none (as the service makes one with the first message). */
    TextKey key(UUID group) {
        return keyring(dynamo).forWriting(group).await().indefinitely();
    }

    /** A message as the service stores it: its text sealed with the conversation's key. */
    MessageItem message(UUID group, Instant at, String text, BenchUser sender) {
        return sealed(dynamo, group, at, text, sender);
    }

    /** The same, for a benchmark without fixtures of its own. */
    static MessageItem sealed(DynamoDbAsyncClient dynamo, UUID group, Instant at, String text, BenchUser sender) {
        TextKey key = keyring(dynamo).forWriting(group).await().indefinitely();
        return MessageItem.sealed(key, group, at, UUID.randomUUID(), text, sender.uuid(), sender.displayName(), sender.handle());
    }

    /** Opens the conversation of {@code sender} and {@code receiver} with one message at {@code at}. */
    NewConversation open(BenchUser sender, BenchUser receiver, Instant at) {
        UUID group = UUID.randomUUID();
        MessageItem first = message(group, at, text(0), sender);
        NewConversation conversation = NewConversation.of(group, first, receiver.uuid(), receiver.displayName(),
                receiver.handle());
        dynamo.transactWriteItems(conversation.createRequest(table, Optional.empty())).join();
        return conversation;
    }

    /**
     * Adds {@code count} messages to a conversation, alternating between its two members, one second
     * apart after {@code after}; writes {@code parallelism} BatchWriteItem streams at once.
     */
    void addMessages(UUID group, BenchUser a, BenchUser b, Instant after, int count, int parallelism) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            BenchUser sender = i % 2 == 0 ? a : b;
            items.add(message(group, after.plus(Duration.ofSeconds(i)), text(i), sender).toItem());
        }
        BatchWriter writer = BatchWriter.of(dynamo);
        int slice = Math.max(BatchWriter.MAX_BATCH, (count + parallelism - 1) / parallelism);
        List<CompletableFuture<Integer>> streams = new ArrayList<>();
        for (int from = 0; from < count; from += slice) {
            List<Map<String, AttributeValue>> part = items.subList(from, Math.min(from + slice, count));
            streams.add(writer.putAll(table, part).subscribeAsCompletionStage());
        }
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).join();
    }

    /** A message of {@link #MESSAGE_CHARS} characters that starts with its number. */
    static String text(int number) {
        String head = "#" + number + " ";
        StringBuilder text = new StringBuilder(head);
        while (text.length() < MESSAGE_CHARS) {
            text.append(FILLER);
        }
        return text.substring(0, MESSAGE_CHARS);
    }
}
