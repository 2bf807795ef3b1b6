package app.cruddur.messages.postgres;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;

/** PostgreSQL did not answer within the query deadline, or could not be reached; retry. */
public class PostgresUnavailableException extends ApiException {

    public PostgresUnavailableException(Throwable cause) {
        super(ErrorCode.DEPENDENCY_UNAVAILABLE, "postgresql is unavailable; retry shortly", cause);
    }

    @Override
    public String failedPart() {
        return "postgresql";
    }
}
