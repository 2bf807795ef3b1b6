package app.cruddur.messages.projection.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The count of unreadable stream records as a CloudWatch metric, in the Embedded Metric Format:
 * a JSON document that the Lambda logs as a log event of its own, from which CloudWatch Logs
 * extracts the metric. No dimensions (an empty dimension set, which the format allows): one
 * function, one metric, one alarm (infra/ names the same namespace and metric).
 *
 * <pre>{"_aws":{"Timestamp":1764000000000,"CloudWatchMetrics":[{"Namespace":"CruddurMessages",
 * "Dimensions":[[]],"Metrics":[{"Name":"UnreadableStreamRecords","Unit":"Count"}]}]},
 * "UnreadableStreamRecords":1}</pre>
 */
public final class UnreadableRecordsMetric {

    public static final String NAMESPACE = "CruddurMessages";
    public static final String NAME = "UnreadableStreamRecords";
    public static final String UNIT = "Count";

    private static final ObjectMapper JSON = new ObjectMapper();

    private UnreadableRecordsMetric() {
    }

    /** The document for {@code count} records at {@code at}, on one line. */
    public static String document(int count, Instant at) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray();
        directive.putArray("Metrics").addObject().put("Name", NAME).put("Unit", UNIT);
        root.put(NAME, count);
        return root.toString();
    }
}
