package app.cruddur.messages.postgres;

/** PostgreSQL did not answer within the query deadline, or could not be reached; retry. */
public class PostgresUnavailableException extends RuntimeException {

    public PostgresUnavailableException(Throwable cause) {
        super("postgresql is unavailable; retry shortly", cause, false, false);
    }
}
