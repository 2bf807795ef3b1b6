package app.cruddur.messages.bench;

import app.cruddur.messages.tools.BatchWriter;
import app.cruddur.messages.table.MessageItem;
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
 * Conversations written straight into the table with the service's own item types and requests:
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

    /** Opens the conversation of {@code sender} and {@code receiver} with one message at {@code at}. */
    NewConversation open(BenchUser sender, BenchUser receiver, Instant at) {
        UUID group = UUID.randomUUID();
        MessageItem first = new MessageItem(group, at, UUID.randomUUID(), text(0), sender.uuid(), sender.displayName(),
                sender.handle());
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
            items.add(new MessageItem(group, after.plus(Duration.ofSeconds(i)), UUID.randomUUID(), text(i),
                    sender.uuid(), sender.displayName(), sender.handle()).toItem());
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
