package app.cruddur.messages.table;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;

/** DynamoDB did not answer in time, could not be reached, or is throttling: nothing was written; retry. */
public class DynamoDbUnavailableException extends ApiException {

    public DynamoDbUnavailableException(Throwable cause) {
        super(ErrorCode.DEPENDENCY_UNAVAILABLE, "dynamodb is unavailable; retry shortly", cause);
    }
}
