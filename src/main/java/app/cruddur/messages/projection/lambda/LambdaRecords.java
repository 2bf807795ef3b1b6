package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.StreamChange;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Lambda's stream records (aws-lambda-java-events types) as the projection's {@link StreamChange}:
 * for the handler, and for the replay tool, which reads a failed batch as the handler read it.
 */
public final class LambdaRecords {

    private LambdaRecords() {
    }

    public static StreamChange toChange(DynamodbStreamRecord record) {
        var stream = record.getDynamodb();
        String sequence = stream == null ? null : stream.getSequenceNumber();
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image =
                stream == null ? null : stream.getNewImage();
        return new StreamChange(record.getEventName(), sequence, image == null ? null : convert(image));
    }

    static Map<String, AttributeValue> convert(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> converted = new HashMap<>();
        image.forEach((name, value) -> converted.put(name, convert(value)));
        return converted;
    }

    private static AttributeValue convert(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
        if (value.getS() != null) {
            return AttributeValue.fromS(value.getS());
        }
        if (value.getN() != null) {
            return AttributeValue.fromN(value.getN());
        }
        if (value.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(value.getB()));
        }
        if (value.getSS() != null) {
            return AttributeValue.fromSs(value.getSS());
        }
        if (value.getNS() != null) {
            return AttributeValue.fromNs(value.getNS());
        }
        if (value.getBS() != null) {
            return AttributeValue.fromBs(value.getBS().stream().map(SdkBytes::fromByteBuffer).toList());
        }
        if (value.getM() != null) {
            return AttributeValue.fromM(convert(value.getM()));
        }
        if (value.getL() != null) {
            List<AttributeValue> list = value.getL().stream().map(LambdaRecords::convert).toList();
            return AttributeValue.fromL(list);
        }
        if (value.getBOOL() != null) {
            return AttributeValue.fromBool(value.getBOOL());
        }
        return AttributeValue.fromNul(true);
    }
}
