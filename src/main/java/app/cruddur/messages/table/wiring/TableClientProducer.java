package app.cruddur.messages.table.wiring;

import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Caller;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The service's {@link TableClient}: the configured table, message pages through DAX when configured. */
public class TableClientProducer {

    @Produces
    @Singleton
    TableClient tableClient(DynamoDbAsyncClient dynamo, DaxReads dax, TableConfig config) {
        return new TableClient(dynamo, dax.client(), config.name(), config.groupIndex(), Caller.SERVICE);
    }
}
