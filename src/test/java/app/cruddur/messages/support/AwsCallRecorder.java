package app.cruddur.messages.support;

import app.cruddur.messages.table.Caller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.ApiName;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbStreamsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records, for every DynamoDB and DynamoDB Streams request that the project's own code sends while
 * the tests run, the IAM action and resource it needs and the part that sent it (the {@link Caller}
 * in its user agent), one JSON line per distinct need in {@code target/aws-calls/<pid>.jsonl}.
 * infra/'s RecordedCallsTest holds each role's grants to these lines: a call that is not granted fails
 * the build, and so does a grant that no call needs.
 *
 * <p>What counts is what the deployed parts do, so a request is left out when test or tool code
 * (a class of target/test-classes) is on the thread that sends it: a test reading an item to check
 * it proves nothing about the service's rights. A request from the project's main code that names
 * no part is recorded as {@code untagged}, which fails that test: every request has an owner.
 *
 * <p>Registered for every SDK client of a test JVM through
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test class path.
 * A request that the main code signs itself, without an SDK client (the sign-up trigger's Secrets
 * Manager read), passes no interceptor: the stand-in endpoint that receives it records it with
 * {@link #received} instead (support/SecretsManagerStub).
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    /** Where the lines go, one file per JVM; the build empties it before the tests run. */
    public static final Path DIRECTORY = Path.of("target", "aws-calls");
    private static final Path MAIN_CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    private static final String UNTAGGED = "untagged";

    private enum Origin { MAIN, TEST, OTHER }

    private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Origin> ORIGINS = new ConcurrentHashMap<>();
    private static final Path FILE = DIRECTORY.resolve(ProcessHandle.current().pid() + ".jsonl");

    /** One thing a request needs: an IAM action on a resource ("table", "index", "stream", "secret" or "*"). */
    record Need(String action, String resource, Boolean consistentRead) {
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        Origin origin = origin();
        if (origin == Origin.TEST) {
            return;
        }
        Optional<String> part = part(request);
        if (part.isEmpty() && origin != Origin.MAIN) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (Need need : needs(request, operation)) {
            record(part.orElse(UNTAGGED), need);
        }
    }

    /**
     * Records a request of the AWS JSON protocol as its endpoint received it: the action from its
     * {@code X-Amz-Target} ({@code secretsmanager.GetSecretValue} needs
     * {@code secretsmanager:GetSecretValue} on the secret), the part from its user agent
     * ({@code cruddur-messages/<part>}, else {@code untagged}).
     */
    public static void received(String target, String userAgent) {
        String[] service = target == null ? new String[0] : target.split("\\.", 2);
        if (service.length != 2 || !service[0].equals("secretsmanager")) {
            throw new IllegalArgumentException("no IAM resource known for the target " + target);
        }
        String part = UNTAGGED;
        for (String product : (userAgent == null ? "" : userAgent).split("\\s+")) {
            if (product.startsWith(Caller.API_NAME + "/")) {
                part = product.substring(Caller.API_NAME.length() + 1);
            }
        }
        record(part, new Need("secretsmanager:" + service[1], "secret", null));
    }

    /** The part named in the request's user agent ({@link Caller#tag}). */
    private static Optional<String> part(SdkRequest request) {
        return request.overrideConfiguration().stream()
                .flatMap(override -> override.apiNames().stream())
                .filter(name -> Caller.API_NAME.equals(name.name()))
                .map(ApiName::version)
                .findFirst();
    }

    static List<Need> needs(SdkRequest request, String operation) {
        List<Need> needs = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest transaction) {
            // IAM authorizes each member of a transaction as the single-item call it resembles.
            for (TransactWriteItem item : transaction.transactItems()) {
                String action = item.put() != null ? "PutItem" : item.delete() != null ? "DeleteItem"
                        : item.update() != null ? "UpdateItem" : "ConditionCheckItem";
                needs.add(new Need("dynamodb:" + action, "table", null));
            }
        } else if (request instanceof ListStreamsRequest) {
            needs.add(new Need("dynamodb:ListStreams", "*", null));
        } else if (request instanceof DynamoDbStreamsRequest) {
            needs.add(new Need("dynamodb:" + operation, "stream", null));
        } else if (request instanceof QueryRequest query) {
            needs.add(new Need("dynamodb:Query", query.indexName() == null ? "table" : "index",
                    Boolean.TRUE.equals(query.consistentRead())));
        } else if (request instanceof GetItemRequest get) {
            needs.add(new Need("dynamodb:GetItem", "table", Boolean.TRUE.equals(get.consistentRead())));
        } else if (request instanceof BatchWriteItemRequest) {
            needs.add(new Need("dynamodb:BatchWriteItem", "table", null));
        } else {
            needs.add(new Need("dynamodb:" + operation, "table", null));
        }
        return needs;
    }

    private static void record(String part, Need need) {
        String line = "{\"caller\":\"" + part + "\",\"action\":\"" + need.action() + "\",\"resource\":\"" + need.resource() + "\""
                + (need.consistentRead() == null ? "" : ",\"consistentRead\":" + need.consistentRead()) + "}";
        if (!RECORDED.add(line)) {
            return;
        }
        synchronized (AwsCallRecorder.class) {
            try {
                Files.createDirectories(DIRECTORY);
                Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record an AWS call in " + FILE, e);
            }
        }
    }

    /** Whose code is on this thread: the tests' or tools' (any frame), else the project's main code, else neither. */
    private static Origin origin() {
        return StackWalker.getInstance().walk(frames -> {
            Origin found = Origin.OTHER;
            for (var frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String name = frame.getClassName();
                if (!name.startsWith("app.cruddur.") || name.startsWith(AwsCallRecorder.class.getName())) {
                    continue;
                }
                Origin origin = ORIGINS.computeIfAbsent(name, AwsCallRecorder::originOf);
                if (origin == Origin.TEST) {
                    return Origin.TEST;
                }
                if (origin == Origin.MAIN) {
                    found = Origin.MAIN;
                }
            }
            return found;
        });
    }

    private static Origin originOf(String className) {
        String file = className.replace('.', '/') + ".class";
        if (Files.exists(TEST_CLASSES.resolve(file))) {
            return Origin.TEST;
        }
        return Files.exists(MAIN_CLASSES.resolve(file)) ? Origin.MAIN : Origin.OTHER;
    }
}
