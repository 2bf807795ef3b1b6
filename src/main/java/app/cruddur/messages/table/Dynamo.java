package app.cruddur.messages.table;

import app.cruddur.messages.error.DependencyUnavailableException;
import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Calls the async client as a {@link Uni}, and reports an unreachable or overloaded DynamoDB as a 503. */
public final class Dynamo {

    /** Error codes that mean "not now" rather than "wrong request". */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException",
            "InternalServerError", "ServiceUnavailable", "LimitExceededException",
            // A retry of a transaction whose first attempt is still being applied (same token).
            "TransactionInProgressException");

    private Dynamo() {
    }

    public static <T> Uni<T> call(Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom().completionStage(request)
                .onFailure(Dynamo::isUnavailable)
                .transform(failure -> new DependencyUnavailableException("dynamodb", unwrap(failure)));
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
