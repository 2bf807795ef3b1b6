package app.cruddur.messages.projection;

import app.cruddur.messages.table.MessagesTable;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/** Reads the real stream records of the table from DynamoDB Local, for tests that replay them. */
final class StreamRecords {

    private StreamRecords() {
    }

    /** Every record currently in the stream whose new image has this pk, oldest first. */
    static List<StreamChange> withPk(DynamoDbAsyncClient dynamo, DynamoDbStreamsAsyncClient streams, String table, String pk) {
        String arn = dynamo.describeTable(b -> b.tableName(table)).join().table().latestStreamArn();
        List<StreamChange> found = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).join().streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            int emptyPages = 0;
            while (iterator != null && emptyPages < 3) {
                String current = iterator;
                var page = streams.getRecords(b -> b.shardIterator(current).limit(1000)).join();
                emptyPages = page.records().isEmpty() ? emptyPages + 1 : 0;
                for (Record record : page.records()) {
                    var image = record.dynamodb().newImage();
                    if (image != null && image.containsKey(MessagesTable.PK) && pk.equals(image.get(MessagesTable.PK).s())) {
                        found.add(new StreamChange(record.eventNameAsString(), record.dynamodb().sequenceNumber(), image));
                    }
                }
                iterator = page.nextShardIterator();
            }
        }
        return found;
    }
}
