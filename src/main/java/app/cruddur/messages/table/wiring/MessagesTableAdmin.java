package app.cruddur.messages.table.wiring;

import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates and inspects the messages table. Inspecting it is the service's readiness check;
 * creating it (and its TTL) is set-up that only dev, the tests and the tools do, so those requests
 * are the {@link Caller#TOOLS}' whoever sends them: in AWS the stack creates the table.
 */
@ApplicationScoped
public class MessagesTableAdmin {

    /** What {@link #ensureTable()} did. */
    public enum Outcome { CREATED, ALREADY_EXISTS }

    private final DynamoDbAsyncClient dynamo;
    private final String tableName;
    private final String groupIndex;
    private final Caller caller;

    @Inject
    public MessagesTableAdmin(DynamoDbAsyncClient dynamo, TableConfig config) {
        this(dynamo, config.name(), config.groupIndex(), Caller.SERVICE);
    }

    /**
     * @param caller who inspects the table ({@link #describe()}): the service, or the
     *               command-line tools, which run without the service's configuration
     */
    public MessagesTableAdmin(DynamoDbAsyncClient dynamo, String tableName, String groupIndex, Caller caller) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.groupIndex = groupIndex;
        this.caller = caller;
    }

    public String tableName() {
        return tableName;
    }

    /** Creates the table unless it exists; safe to call concurrently and repeatedly. */
    public Uni<Outcome> ensureTable() {
        return describe()
                .replaceWith(Outcome.ALREADY_EXISTS)
                .onFailure(ResourceNotFoundException.class).recoverWithUni(() -> create())
                .call(outcome -> ensureTimeToLive());
    }

    /** Expired idempotency records are deleted by DynamoDB through the table's TTL. */
    public Uni<Void> ensureTimeToLive() {
        return Uni.createFrom()
                .completionStage(() -> dynamo.describeTimeToLive(b -> b.tableName(tableName).overrideConfiguration(Caller.TOOLS.override())))
                .chain(ttl -> {
                    TimeToLiveStatus status = ttl.timeToLiveDescription().timeToLiveStatus();
                    if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
                        return Uni.createFrom().voidItem();
                    }
                    return Uni.createFrom()
                            .completionStage(() -> dynamo.updateTimeToLive(Caller.TOOLS.tag(MessagesTable.timeToLiveRequest(tableName))))
                            .replaceWithVoid();
                });
    }

    public Uni<DescribeTableResponse> describe() {
        return Uni.createFrom().completionStage(() -> dynamo.describeTable(b -> b.tableName(tableName).overrideConfiguration(caller.override())));
    }

    public Uni<Boolean> isActive() {
        return describe().map(response -> response.table().tableStatus() == TableStatus.ACTIVE);
    }

    private Uni<Outcome> create() {
        return Uni.createFrom()
                .completionStage(() -> dynamo.createTable(Caller.TOOLS.tag(MessagesTable.createTableRequest(tableName, groupIndex))))
                .replaceWith(Outcome.CREATED)
                // Another instance created it between our describe and create.
                .onFailure(ResourceInUseException.class).recoverWithItem(Outcome.ALREADY_EXISTS);
    }
}
