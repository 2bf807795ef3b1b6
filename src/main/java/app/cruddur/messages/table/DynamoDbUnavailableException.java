package app.cruddur.messages.table;

/** DynamoDB did not answer in time, could not be reached, or is throttling: nothing was written; retry. */
public class DynamoDbUnavailableException extends RuntimeException {

    public DynamoDbUnavailableException(Throwable cause) {
        super("dynamodb is unavailable; retry shortly", cause, false, false);
    }
}
