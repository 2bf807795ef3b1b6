package app.cruddur.messages.support;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lambda invocation's context whose logger keeps the lines a handler logs, for tests to read. */
public final class RecordingLambdaContext implements Context {

    private final String functionName;
    private final String requestId = UUID.randomUUID().toString();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public RecordingLambdaContext(String functionName) {
        this.functionName = functionName;
    }

    /** What the handler logged, one entry per call. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "2026/01/01/[$LATEST]" + "0".repeat(32);
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 5_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                lines.add(message);
            }

            @Override
            public void log(byte[] message) {
                lines.add(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
