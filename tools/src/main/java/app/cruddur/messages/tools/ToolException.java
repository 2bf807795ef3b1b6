package app.cruddur.messages.tools;

import app.cruddur.messages.table.DynamoCalls;
import app.cruddur.messages.user.cognito.CognitoUserPool.CognitoException;
import app.cruddur.messages.user.cognito.CognitoUserPool.CognitoUnreachableException;
import java.io.PrintStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.crt.CrtResource;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** A failure a tool reports as one line and a non-zero exit code, never as a stack trace. */
public class ToolException extends RuntimeException {

    /** Wrong arguments. */
    public static final int USAGE = 2;
    /** The store answered no, or could not be reached. */
    public static final int FAILED = 1;

    private final int exitCode;

    public ToolException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Prints any failure of a tool as one line and returns its exit code. */
    static int report(RuntimeException failure, boolean prod, PrintStream err) {
        if (failure instanceof ToolException tool) {
            err.println(tool.getMessage());
            return tool.exitCode();
        }
        Throwable cause = DynamoCalls.unwrap(failure);
        err.println((cause instanceof SdkClientException || cause instanceof CognitoUnreachableException) && !prod
                ? "the local stack is not answering (" + firstLine(cause.getMessage())
                        + "); start it with bin/dev or bin/local-stack, or add prod to work against AWS"
                : describe(cause));
        return FAILED;
    }

    /** One line for a failure of the SDK: what went wrong, without the stack. */
    private static String describe(Throwable cause) {
        if (cause instanceof CognitoException cognito) {
            return "Cognito: " + cognito.getMessage();
        }
        if (cause instanceof ResourceNotFoundException) {
            return "no such table: " + firstLine(cause.getMessage());
        }
        if (cause instanceof DynamoDbException service) {
            return "DynamoDB refused: " + (service.awsErrorDetails() == null ? firstLine(service.getMessage())
                    : service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage());
        }
        if (cause instanceof SdkClientException) {
            return "DynamoDB is unreachable or the credentials are missing: " + firstLine(cause.getMessage());
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Ends a tool that used the DynamoDB client (closed by then). Waiting for the AWS CRT's native
     * resources here takes milliseconds; left to the JVM's exit, the CRT waits about a second more.
     */
    public static void exitAfterCrt(int code) {
        CrtResource.waitForNoResources();
        System.exit(code);
    }
}
