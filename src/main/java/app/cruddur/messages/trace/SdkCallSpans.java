package app.cruddur.messages.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.quarkus.arc.Arc;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A client span for each call of the AWS SDK (DynamoDB, its streams), a child of the span that is
 * current when the call starts: OpenTelemetry's own instrumentation of the SDK, on the service's
 * OpenTelemetry. Named in {@code quarkus.dynamodb.interceptors}, which makes it with its no-argument
 * constructor; the streams client adds it itself.
 */
public class SdkCallSpans implements ExecutionInterceptor {

    private volatile ExecutionInterceptor delegate;

    private ExecutionInterceptor delegate() {
        ExecutionInterceptor made = delegate;
        if (made == null) {
            OpenTelemetry telemetry = Arc.container().instance(OpenTelemetry.class).get();
            made = AwsSdkTelemetry.builder(telemetry).build().newExecutionInterceptor();
            delegate = made;
        }
        return made;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        delegate().beforeExecution(context, attributes);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return delegate().modifyRequest(context, attributes);
    }

    @Override
    public void afterMarshalling(Context.AfterMarshalling context, ExecutionAttributes attributes) {
        delegate().afterMarshalling(context, attributes);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return delegate().modifyHttpRequest(context, attributes);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        delegate().beforeTransmission(context, attributes);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        delegate().afterTransmission(context, attributes);
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        return delegate().modifyHttpResponse(context, attributes);
    }

    @Override
    public void beforeUnmarshalling(Context.BeforeUnmarshalling context, ExecutionAttributes attributes) {
        delegate().beforeUnmarshalling(context, attributes);
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        delegate().afterUnmarshalling(context, attributes);
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        return delegate().modifyResponse(context, attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        delegate().afterExecution(context, attributes);
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        return delegate().modifyException(context, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        delegate().onExecutionFailure(context, attributes);
    }
}
