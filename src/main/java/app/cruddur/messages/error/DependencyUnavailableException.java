package app.cruddur.messages.error;

/** PostgreSQL or DynamoDB did not answer: 503, and the client may retry. */
public class DependencyUnavailableException extends ApiException {

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(ErrorCode.DEPENDENCY_UNAVAILABLE, dependency + " is unavailable; retry shortly", cause);
    }
}
