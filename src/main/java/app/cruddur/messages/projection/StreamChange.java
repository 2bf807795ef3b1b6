package app.cruddur.messages.projection;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One record of the table's stream, as the projection needs it, whichever driver read it
 * (the in-service consumer or the Lambda handler). {@code newImage} is null for a REMOVE.
 */
public record StreamChange(String eventName, String sequenceNumber, Map<String, AttributeValue> newImage) {

    public static final String INSERT = "INSERT";
    public static final String MODIFY = "MODIFY";
}
