package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import java.time.Instant;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The ceiling for {@link ServiceLoadBenchmark}: the DynamoDB requests behind patterns A, B and C,
 * built by {@link AccessPatterns} exactly as the service builds them, sent with the same async
 * client (aws-crt) to the same DynamoDB Local, at the same concurrency, with no HTTP, auth or JSON.
 *
 * <p>In steady state the service serves B and C from its member cache, so B is one Query and C one
 * conditional PutItem; {@link #c_replyCheckingMembership} adds the membership GetItem that a cache
 * miss costs.
 */
@State(Scope.Benchmark)
@Threads(LoadBenchmarkMain.THREADS)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 3, time = 3)
public class DynamoDbLoadBenchmark {

    /** The service's default page size; the Query reads one more row to know whether an older page exists. */
    private static final int PAGE = 20;

    private LoadTarget target;
    private DynamoDbAsyncClient dynamo;
    private QueryRequest conversations;
    private QueryRequest newestPage;
    private GetItemRequest membership;
    private String text;

    @Setup(Level.Trial)
    public void prepare() {
        target = LoadTarget.fromSystemProperties();
        dynamo = LocalDynamoDb.client(target.dynamodbEndpoint());
        conversations = AccessPatterns.groupRowsNewestFirst(target.table(), target.callerUuid(), Optional.empty(), PAGE);
        newestPage = AccessPatterns.messagesNewestFirst(target.table(), target.pageGroup(), Optional.empty(), PAGE);
        membership = AccessPatterns.conversation(target.table(), target.postGroup());
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
    public int a_conversations() {
        return dynamo.query(conversations).join().count();
    }

    @Benchmark
    public int b_newestPage() {
        return dynamo.query(newestPage).join().count();
    }

    @Benchmark
    public MessageItem c_reply() {
        return put(newMessage());
    }

    @Benchmark
    public MessageItem c_replyCheckingMembership() {
        GetItemResponse found = dynamo.getItem(membership).join();
        if (!found.hasItem() || !ConversationItem.from(found.item()).hasMember(target.callerUuid())) {
            throw new IllegalStateException("the caller is not a member of " + target.postGroup());
        }
        return put(newMessage());
    }

    private MessageItem newMessage() {
        return new MessageItem(target.postGroup(), Instant.now(), UUID.randomUUID(), text, target.callerUuid(),
                target.callerDisplayName(), target.callerHandle());
    }

    /** The conditional put, moving to the next free sort key when another thread took this microsecond (as the service does). */
    private MessageItem put(MessageItem message) {
        MessageItem attempt = message;
        while (true) {
            try {
                dynamo.putItem(AccessPatterns.putNewMessage(target.table(), attempt)).join();
                return attempt;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                    throw e;
                }
                attempt = attempt.at(Timestamps.nextFree(attempt.createdAt(), Instant.now()));
            }
        }
    }
}
