package app.cruddur.messages.table;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Calls to the async DynamoDB (and Streams) clients as {@link Uni}s: an unreachable, silent or
 * overloaded DynamoDB fails the call with {@link Unavailable}, which the HTTP layer answers with a 503.
 */
public final class DynamoCalls {

    /** DynamoDB did not answer in time, could not be reached, or is throttling: nothing was written; retry. */
    public static class Unavailable extends ApiException {

        public Unavailable(Throwable cause) {
            super(ErrorCode.DEPENDENCY_UNAVAILABLE, "dynamodb is unavailable; retry shortly", cause);
        }

        @Override
        public String failedPart() {
            return "dynamodb";
        }
    }

    /** Error codes that mean "not now" rather than "wrong request". */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException",
            "InternalServerError", "ServiceUnavailable", "LimitExceededException",
            // A retry of a transaction whose first attempt is still being applied (same token).
            "TransactionInProgressException");

    private DynamoCalls() {
    }

    /**
     * The answer arrives on the SDK's thread (an aws-crt event-loop thread), and what follows runs
     * there, until its next call. That thread's context class loader is not the caller's: in the
     * packaged service a bean created there failed to load CDI's classes. So what follows runs with
     * the context class loader of the thread that made the call, on the same thread, no hop; and in
     * the caller's trace context (OpenTelemetry's), so that the next calls are spans of the same parent.
     */
    public static <T> Uni<T> call(Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom().deferred(() -> {
            ClassLoader caller = Thread.currentThread().getContextClassLoader();
            Context trace = Context.current();
            return Uni.createFrom().completionStage(request).emitOn(task -> runWith(caller, trace.wrap(task)));
        })
                .onFailure(DynamoCalls::isUnavailable)
                .transform(failure -> new Unavailable(unwrap(failure)));
    }

    static void runWith(ClassLoader loader, Runnable task) {
        Thread thread = Thread.currentThread();
        ClassLoader own = thread.getContextClassLoader();
        if (own == loader) {
            task.run();
            return;
        }
        thread.setContextClassLoader(loader);
        try {
            task.run();
        } finally {
            thread.setContextClassLoader(own);
        }
    }

    static boolean isUnavailable(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DynamoDbException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() >= 500 || (code != null && TRANSIENT_CODES.contains(code));
        }
        // No answer at all: connection refused, timeout, DNS.
        return cause instanceof SdkClientException;
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
