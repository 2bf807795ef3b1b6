package app.cruddur.messages.table;

import app.cruddur.messages.config.MessagesConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Creates and inspects the messages table. */
@ApplicationScoped
public class MessagesTableAdmin {

    /** What {@link #ensureTable()} did. */
    public enum Outcome { CREATED, ALREADY_EXISTS }

    private final DynamoDbAsyncClient dynamo;
    private final String tableName;
    private final String groupIndex;

    @Inject
    public MessagesTableAdmin(DynamoDbAsyncClient dynamo, MessagesConfig config) {
        this(dynamo, config.table().name(), config.table().groupIndex());
    }

    /** For the command-line tools, which run without the service's configuration. */
    public MessagesTableAdmin(DynamoDbAsyncClient dynamo, String tableName, String groupIndex) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.groupIndex = groupIndex;
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
                .completionStage(() -> dynamo.describeTimeToLive(b -> b.tableName(tableName)))
                .chain(ttl -> {
                    TimeToLiveStatus status = ttl.timeToLiveDescription().timeToLiveStatus();
                    if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
                        return Uni.createFrom().voidItem();
                    }
                    return Uni.createFrom()
                            .completionStage(() -> dynamo.updateTimeToLive(MessagesTable.timeToLiveRequest(tableName)))
                            .replaceWithVoid();
                });
    }

    public Uni<DescribeTableResponse> describe() {
        return Uni.createFrom().completionStage(() -> dynamo.describeTable(b -> b.tableName(tableName)));
    }

    public Uni<Boolean> isActive() {
        return describe().map(response -> response.table().tableStatus() == TableStatus.ACTIVE);
    }

    private Uni<Outcome> create() {
        return Uni.createFrom()
                .completionStage(() -> dynamo.createTable(MessagesTable.createTableRequest(tableName, groupIndex)))
                .replaceWith(Outcome.CREATED)
                // Another instance created it between our describe and create.
                .onFailure(ResourceInUseException.class).recoverWithItem(Outcome.ALREADY_EXISTS);
    }
}
