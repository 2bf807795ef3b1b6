package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The ceiling for {@link ServiceLoadBenchmark}: the DynamoDB requests behind patterns A, B, C and D,
 * built by the items' {@code *Request} methods exactly as the service builds them, sent with the same async
 * client (aws-crt) to the same DynamoDB Local, at the same concurrency, with no HTTP, auth or JSON.
 *
 * <p>In steady state the service serves B, C and D from its caches (conversation members, users by
 * handle), so B is one Query; C the conditional PutItem, then the index Query and the
 * TransactWriteItems that move both list entries (read-your-writes); D the pair's GetItem, then C.
 */
@State(Scope.Benchmark)
@Threads(LoadBenchmarkMain.THREADS)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 3, time = 3)
public class DynamoDbLoadBenchmark {

    /** The service's default page size; the Query reads one more entry to know whether an older page exists. */
    private static final int PAGE = 20;

    private LoadTarget target;
    private DynamoDbAsyncClient dynamo;
    private QueryRequest conversations;
    private QueryRequest newestPage;
    private String text;

    /** The conversations of one benchmark thread, as in {@link ServiceLoadBenchmark.Poster}. */
    @State(Scope.Thread)
    public static class Poster {
        UUID replyGroup;
        GetItemRequest pair;

        @Setup(Level.Trial)
        public void prepare(ThreadParams thread) {
            LoadTarget target = LoadTarget.fromSystemProperties();
            int i = thread.getThreadIndex();
            replyGroup = target.replyGroups().get(i);
            pair = PairItem.findRequest(target.table(), target.poster().uuid(), target.receivers().get(i).uuid());
        }
    }

    @Setup(Level.Trial)
    public void prepare() {
        target = LoadTarget.fromSystemProperties();
        dynamo = LocalDynamoDb.client(target.dynamodbEndpoint());
        conversations = ListEntryItem.listRequest(target.table(), target.caller().uuid(), Optional.empty(), PAGE);
        newestPage = MessageItem.pageRequest(target.table(), target.pageGroup(), Optional.empty(), PAGE);
        text = ConversationFixtures.text(-1);
        int page = dynamo.query(newestPage).join().count();
        if (page != PAGE + 1) {
            throw new IllegalStateException("the newest-page Query returned " + page + " items, not " + (PAGE + 1));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        dynamo.close();
    }

    @Benchmark
    public int a_conversations(CpuWindow cpu) {
        return dynamo.query(conversations).join().count();
    }

    @Benchmark
    public int b_newestPage(CpuWindow cpu) {
        return dynamo.query(newestPage).join().count();
    }

    @Benchmark
    public MessageItem c_reply(Poster poster, CpuWindow cpu) {
        return showInLists(put(newMessage(poster.replyGroup)));
    }

    @Benchmark
    public MessageItem d_messageByHandle(Poster poster, CpuWindow cpu) {
        GetItemResponse found = dynamo.getItem(poster.pair).join();
        if (!found.hasItem()) {
            throw new IllegalStateException("the poster has no conversation with this receiver");
        }
        return showInLists(put(newMessage(PairItem.groupOf(found.item()))));
    }

    private MessageItem newMessage(UUID group) {
        BenchUser poster = target.poster();
        return new MessageItem(group, Instant.now(), UUID.randomUUID(), text, poster.uuid(), poster.displayName(),
                poster.handle());
    }

    /** The conditional put, moving to the next free sort key when this microsecond is taken (as the service does). */
    private MessageItem put(MessageItem message) {
        MessageItem attempt = message;
        while (true) {
            try {
                dynamo.putItem(attempt.putRequest(target.table())).join();
                return attempt;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                    throw e;
                }
                // The texts here are plain, as stored before texts were sealed: moving one needs no key.
                attempt = attempt.at(Timestamps.nextFree(attempt.createdAt(), Instant.now()), null);
            }
        }
    }

    /**
     * The move the service makes before a POST answers: the entries from the index, then one
     * transaction. All threads post as one user, so two of the poster's entries (of two conversations)
     * may be moved to the same microsecond; as the service does, that move goes to the next one.
     */
    private MessageItem showInLists(MessageItem message) {
        Instant at = message.createdAt();
        for (int attempt = 1; attempt <= 10; attempt++) {
            Instant time = at;
            List<ListEntryItem> from = dynamo.query(ListEntryItem.ofConversationRequest(target.table(),
                            LocalDynamoDb.GROUP_INDEX, message.conversationUuid())).join()
                    .items().stream().map(ListEntryItem::from).filter(entry -> entry.lastReplyAt().isBefore(time)).toList();
            if (from.size() != 2) {
                throw new IllegalStateException("expected two list entries to move, found " + from.size());
            }
            List<ListEntryItem> to = from.stream().map(entry -> entry.movedTo(time, message.message())).toList();
            try {
                dynamo.transactWriteItems(ListEntryItem.moveRequest(target.table(), from, to)).join();
                return message;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof TransactionCanceledException)) {
                    throw e;
                }
                at = Timestamps.nextFree(at, at);
            }
        }
        throw new IllegalStateException("the entries of " + message.conversationUuid() + " did not move in 10 attempts");
    }
}
