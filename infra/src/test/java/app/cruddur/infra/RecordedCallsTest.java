package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.Policies.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Each role may make exactly the DynamoDB (and Secrets Manager) calls its part of the code makes: what the service's
 * test suite recorded (its AwsCallRecorder writes {@code ../target/aws-calls/*.jsonl} while
 * {@code ./mvnw verify} runs the service's tests, before this project's) against the grants of the
 * synthesized templates. A call that no role grants fails here, and so does a grant that no call
 * needs. Only what AWS itself does for us is added by hand below, each with its reason.
 *
 * <p>Run alone ({@code -f infra/pom.xml}), this test needs a build of the service's tests first:
 * {@code ./mvnw verify} at the top does both in order.
 */
class RecordedCallsTest {

    static final Path RECORDED = Path.of(System.getProperty("cruddur.recordedCalls", "../target/aws-calls"));

    /** One recorded need: a part ({@code service}, {@code projection}, ...) needs an action on a resource. */
    record Call(String caller, String action, String resource, Boolean consistentRead) {
    }

    private static List<Call> calls;
    private static Template defaults;
    private static Template full;

    @BeforeAll
    static void read() {
        calls = recorded();
        defaults = Synth.defaults();
        full = Synth.full();
    }

    @Test
    void everyRecordedCallNamesItsPart() {
        List<Call> untagged = calls.stream().filter(call -> call.caller().equals("untagged")).toList();
        assertEquals(List.of(), untagged, "requests of the service's code that name no part (table/Caller)");
        Set<String> parts = new TreeSet<>();
        calls.forEach(call -> parts.add(call.caller()));
        assertTrue(parts.containsAll(Set.of("service", "projection", "stream-reader", "sign-up")),
                "the tests exercised the service, the projection, the stream reading and the sign-up trigger: " + parts);
    }

    @Test
    void theTaskRoleGrantsExactlyWhatTheServiceCalls() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Set<String>> expected = needsOf("service");
            if (template == full) {
                // DaxReads: the service sends its eventually consistent table Queries through DAX when
                // it is on (the cluster's client names the same operation dax:<operation>).
                Set<String> throughDax = new TreeSet<>();
                calls.stream().filter(call -> call.caller().equals("service") && call.resource().equals("table")
                                && Boolean.FALSE.equals(call.consistentRead()))
                        .forEach(call -> throughDax.add(call.action().replace("dynamodb:", "dax:")));
                assertFalse(throughDax.isEmpty(), "the message pages are eventually consistent");
                expected.put("dax-cluster", throughDax);
            }
            assertEquals(expected, dataActions(template, LeastPrivilegeTest.taskRole(template)),
                    "the task role's DynamoDB and DAX grants against the service's recorded calls");
        }
    }

    @Test
    void theLambdaRoleGrantsExactlyWhatTheProjectionAndItsStreamReadingCall() {
        Map<String, Set<String>> expected = needsOf("projection");
        needsOf("stream-reader").forEach((resource, actions) -> {
            // The in-service consumer looks the stream up with DescribeTable; the event source
            // mapping is given its ARN by the stack.
            if (!resource.equals("table")) {
                expected.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(actions);
            }
        });
        // Lambda's event source mapping lists the table's streams as the function's role (the
        // execution role needs ListStreams for a DynamoDB trigger, AWSLambdaDynamoDBExecutionRole).
        expected.computeIfAbsent("*", r -> new TreeSet<>()).add("dynamodb:ListStreams");
        for (Template template : List.of(defaults, full)) {
            assertEquals(expected, dataActions(template, LeastPrivilegeTest.lambdaRole(template)),
                    "the Lambda role's DynamoDB grants against the projection's recorded calls");
        }
    }

    @Test
    void theSignUpRoleGrantsExactlyWhatTheTriggerCalls() {
        Map<String, Set<String>> expected = needsOf("sign-up");
        assertEquals(Map.of("secret", Set.of("secretsmanager:GetSecretValue")), expected,
                "the trigger reads its login's secret (SecretRotationTest, SignUpLambdaRuntimeIT)");
        String role = Cfn.referencedId(Cfn.properties(defaults,
                Cfn.onlyIdUnder(defaults, "AWS::Lambda::Function", "SignUpFunction")).get("Role"));
        Map<String, Set<String>> granted = new TreeMap<>();
        Policies.actionsByResource(defaults, role).forEach((resource, actions) -> actions.stream()
                .filter(action -> action.startsWith("secretsmanager:"))
                .forEach(action -> granted.computeIfAbsent(resource, r -> new TreeSet<>()).add(action)));
        assertEquals(expected, granted, "the sign-up role's Secrets Manager grants against the trigger's recorded calls");
        // No other part reads a secret itself: the tasks get theirs from ECS (the execution role).
        assertEquals(Set.of("sign-up"), new TreeSet<>(calls.stream()
                .filter(call -> call.action().startsWith("secretsmanager:")).map(Call::caller).toList()));
    }

    @Test
    void theDaxRoleReadsWhatTheServiceSendsThroughDax() {
        // DAX learns the table's key schema with DescribeTable and forwards the calls it caches.
        Set<String> forwarded = new TreeSet<>(Set.of("dynamodb:DescribeTable"));
        dataActions(full, LeastPrivilegeTest.taskRole(full)).getOrDefault("dax-cluster", Set.of())
                .forEach(action -> forwarded.add(action.replace("dax:", "dynamodb:")));
        assertEquals(Map.of("table", forwarded), dataActions(full, LeastPrivilegeTest.daxRole(full)));
    }

    @Test
    void theEndpointLetsThroughExactlyWhatTheRolesMayDo() {
        for (Template template : List.of(defaults, full)) {
            Set<String> expected = new TreeSet<>();
            List<String> roles = new ArrayList<>(List.of(LeastPrivilegeTest.taskRole(template),
                    LeastPrivilegeTest.lambdaRole(template)));
            if (template == full) {
                roles.add(LeastPrivilegeTest.daxRole(template));
            }
            // Table and index calls only: the stream is read through its own endpoint, which a
            // gateway endpoint does not serve.
            roles.forEach(role -> dataActions(template, role).forEach((resource, actions) -> {
                if (resource.equals("table") || resource.equals("index")) {
                    expected.addAll(actions);
                }
            }));
            // The DynamoDB endpoint's statements (the S3 endpoint's lets the image's layers through).
            Set<String> endpoint = new TreeSet<>();
            Policies.all(template).stream().filter(s -> s.resourceType().equals("AWS::EC2::VPCEndpoint"))
                    .filter(s -> s.actions().stream().allMatch(a -> a.startsWith("dynamodb:")))
                    .forEach(s -> endpoint.addAll(s.actions()));
            assertEquals(expected, endpoint, "the DynamoDB endpoint's policy");
        }
    }

    @Test
    void theToolsCallsAreGrantedToNoRole() {
        // Creating the table and its TTL, seeding, bulk writes: never a deployed part's business.
        Set<String> onlyTools = new TreeSet<>();
        calls.stream().filter(call -> call.caller().equals("tools")).forEach(call -> onlyTools.add(call.action()));
        calls.stream().filter(call -> !call.caller().equals("tools")).forEach(call -> onlyTools.remove(call.action()));
        assertTrue(onlyTools.contains("dynamodb:CreateTable"), "the tests create their table: " + onlyTools);
        for (Template template : List.of(defaults, full)) {
            for (Statement statement : Policies.all(template)) {
                for (String action : onlyTools) {
                    assertFalse(statement.allows() && statement.actions().contains(action),
                            action + " is a tool's call, granted by " + statement);
                }
            }
        }
    }

    /** The recorded needs of one part, as resource label to actions. */
    private static Map<String, Set<String>> needsOf(String caller) {
        Map<String, Set<String>> byResource = new TreeMap<>();
        calls.stream().filter(call -> call.caller().equals(caller))
                .forEach(call -> byResource.computeIfAbsent(call.resource(), r -> new TreeSet<>()).add(call.action()));
        return byResource;
    }

    /** A role's DynamoDB and DAX grants (the calls the code makes), by resource label. */
    private static Map<String, Set<String>> dataActions(Template template, String roleId) {
        Map<String, Set<String>> byResource = new TreeMap<>();
        Policies.actionsByResource(template, roleId).forEach((resource, actions) -> {
            Set<String> data = new TreeSet<>();
            actions.stream().filter(a -> a.startsWith("dynamodb:") || a.startsWith("dax:")).forEach(data::add);
            if (!data.isEmpty()) {
                byResource.put(resource, data);
            }
        });
        return byResource;
    }

    private static List<Call> recorded() {
        if (!Files.isDirectory(RECORDED)) {
            throw new AssertionError("No recorded AWS calls in " + RECORDED.toAbsolutePath().normalize() + ": this test"
                    + " checks the grants against what the service's tests recorded; run ./mvnw verify at the top");
        }
        ObjectMapper json = new ObjectMapper();
        Set<Call> found = new java.util.LinkedHashSet<>();
        try (Stream<Path> files = Files.list(RECORDED)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode node = json.readTree(line);
                    found.add(new Call(node.get("caller").asText(), node.get("action").asText(), node.get("resource").asText(),
                            node.has("consistentRead") ? node.get("consistentRead").asBoolean() : null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(found.isEmpty(), "no calls in " + RECORDED);
        return List.copyOf(found);
    }
}
