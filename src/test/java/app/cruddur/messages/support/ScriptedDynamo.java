package app.cruddur.messages.support;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The real client to DynamoDB Local, with answers a test scripts in between: for the branches a
 * real table cannot be made to take on demand (a transaction conflict, an item gone between two
 * reads). Everything not scripted goes to DynamoDB Local.
 */
public final class ScriptedDynamo implements DynamoDbAsyncClient {

    private final DynamoDbAsyncClient real;
    private volatile Function<TransactWriteItemsRequest, Optional<Throwable>> transactions = request -> Optional.empty();
    private volatile Predicate<GetItemRequest> hidden = request -> false;
    private final AtomicInteger scriptedFailures = new AtomicInteger();

    public ScriptedDynamo(DynamoDbAsyncClient real) {
        this.real = real;
    }

    /** Transactions for which {@code failure} gives a failure are answered with it, without reaching the table. */
    public ScriptedDynamo failTransactions(Function<TransactWriteItemsRequest, Optional<Throwable>> failure) {
        this.transactions = failure;
        return this;
    }

    /** GetItems that {@code hide} matches find nothing. */
    public ScriptedDynamo hideItems(Predicate<GetItemRequest> hide) {
        this.hidden = hide;
        return this;
    }

    /** How many answers were scripted rather than DynamoDB Local's. */
    public int scriptedFailures() {
        return scriptedFailures.get();
    }

    @Override
    public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(TransactWriteItemsRequest request) {
        Optional<Throwable> failure = transactions.apply(request);
        if (failure.isPresent()) {
            scriptedFailures.incrementAndGet();
            return CompletableFuture.failedFuture(failure.get());
        }
        return real.transactWriteItems(request);
    }

    @Override
    public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
        if (hidden.test(request)) {
            scriptedFailures.incrementAndGet();
            return CompletableFuture.completedFuture(GetItemResponse.builder().build());
        }
        return real.getItem(request);
    }

    @Override
    public CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
        return real.putItem(request);
    }

    @Override
    public CompletableFuture<QueryResponse> query(QueryRequest request) {
        return real.query(request);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
        // the real client belongs to the service
    }
}
