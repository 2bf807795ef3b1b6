package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.MetadataEntryResult;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * cdk-nag's AwsSolutions rule pack on every configuration the tests synthesize (a new database
 * and pool over HTTP; DAX, an existing database and pool, HTTPS; DAX in two zones with a Multi-AZ
 * database): each finding is fixed in the constructs or suppressed on its resource with a
 * reason, and the README lists each suppression with that reason.
 *
 * <p>The findings are read from the assembly the configuration was synthesized into, as
 * {@code Annotations.fromStack} reads them; that method synthesizes the app again (forced),
 * which would run the rules a second time and double their part of the test's time.
 */
class AwsSolutionsTest {

    /** What cdk-nag reports: a rule's finding, or a rule that could not check a resource. */
    private static final Pattern NAG_MESSAGE = Pattern.compile("(AwsSolutions-|CdkNagValidationFailure).*", Pattern.DOTALL);
    /**
     * A row of the README's suppression table: the finding (the rule, and for a granular one such
     * as IAM5 what it applies to), the resource's path below the stack, the reason.
     */
    private static final Pattern README_ROW =
            Pattern.compile("^\\| `(AwsSolutions-[A-Z0-9]+(?:\\[[^\\]]+])?)` \\| `([^`]+)` \\| (.+) \\|$");
    /** A granular suppression's reason in the report: {@code [Resource::*] reason}. */
    private static final Pattern GRANULAR_REASON = Pattern.compile("^(\\[[^\\]]+]) (.*)$", Pattern.DOTALL);

    /** A configuration of {@link Synth}: its stack and its template. */
    record Configuration(Supplier<Stack> stack, Supplier<Template> template) {
    }

    static final Map<String, Configuration> CONFIGURATIONS = new LinkedHashMap<>();

    static {
        CONFIGURATIONS.put("defaults", new Configuration(Synth::defaultsStack, Synth::defaults));
        CONFIGURATIONS.put("full", new Configuration(Synth::fullStack, Synth::full));
        CONFIGURATIONS.put("two zones", new Configuration(Synth::twoZonesStack, Synth::twoZones));
        CONFIGURATIONS.put("production", new Configuration(Synth::productionStack, Synth::production));
    }

    /** One line of a cdk-nag report. */
    record ReportLine(String ruleId, String resource, String compliance, String reason) {
    }

    /** A suppression: the rule, the resource's path below its stack, the reason given. */
    record Suppression(String ruleId, String resource, String reason) {
    }

    static Stream<String> configurations() {
        return CONFIGURATIONS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void everyFindingIsFixedOrSuppressed(String configuration) {
        Stack stack = CONFIGURATIONS.get(configuration).stack().get();
        List<String> findings = new ArrayList<>();
        for (SynthesisMessage message : assembledMessages(stack)) {
            boolean errorOrWarning = message.getLevel() == SynthesisMessageLevel.ERROR
                    || message.getLevel() == SynthesisMessageLevel.WARNING;
            String text = String.valueOf(message.getEntry().getData());
            if (errorOrWarning && NAG_MESSAGE.matcher(text).matches()) {
                findings.add(message.getLevel() + " " + message.getId() + ": " + text);
            }
        }
        assertEquals(List.of(), findings, "AwsSolutions findings neither fixed nor suppressed in " + configuration
                + " (fix the construct, or suppress on the resource with Nag and list it in the README):\n"
                + String.join("\n", findings));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theRulesCheckedTheStackAndTheFixesPass(String configuration) throws IOException {
        Stack stack = CONFIGURATIONS.get(configuration).stack().get();
        List<ReportLine> report = report(stack);
        long compliant = report.stream().filter(line -> line.compliance().equals("Compliant")).count();
        assertTrue(compliant > 30, "the rule pack ran: " + compliant + " compliant results");
        assertEquals(Set.of(), report.stream().map(ReportLine::compliance)
                        .filter(c -> !c.equals("Compliant") && !c.equals("Suppressed")).collect(TreeSet::new, Set::add, Set::addAll),
                "results other than compliant or suppressed");
        // What was fixed rather than suppressed: access logs of the load balancer and the trail
        // bucket, the VPC's flow logs, and the log bucket's own TLS-only policy.
        for (String[] fixed : new String[][] {
                {"AwsSolutions-ELB2", "Service/LoadBalancer/Resource"},
                {"AwsSolutions-S1", "Audit/TrailBucket/Resource"},
                {"AwsSolutions-VPC7", "Network/Vpc/Resource"},
                {"AwsSolutions-S1", "Logs/Bucket/Resource"},
                {"AwsSolutions-S10", "Logs/Bucket/Resource"}}) {
            assertTrue(report.contains(new ReportLine(fixed[0], stack.getStackName() + "/" + fixed[1], "Compliant", "N/A")),
                    fixed[0] + " on " + fixed[1] + " passes");
        }
    }

    @Test
    void everySuppressionIsListedInTheReadmeWithItsReason() throws IOException {
        Set<Suppression> used = new TreeSet<>(AwsSolutionsTest::compare);
        for (Configuration configuration : CONFIGURATIONS.values()) {
            Stack stack = configuration.stack().get();
            for (ReportLine line : report(stack)) {
                if (line.compliance().equals("Suppressed")) {
                    Matcher granular = GRANULAR_REASON.matcher(line.reason());
                    used.add(granular.matches()
                            ? new Suppression(line.ruleId() + granular.group(1), belowStack(stack, line.resource()),
                                    granular.group(2))
                            : new Suppression(line.ruleId(), belowStack(stack, line.resource()), line.reason()));
                }
            }
        }
        Set<Suppression> listed = new TreeSet<>(AwsSolutionsTest::compare);
        for (String row : Files.readAllLines(Path.of("README.md"))) {
            Matcher matcher = README_ROW.matcher(row);
            if (matcher.matches()) {
                listed.add(new Suppression(matcher.group(1), matcher.group(2), matcher.group(3)));
            }
        }
        assertTrue(used.size() >= 10, "the reports hold the suppressions: " + used);
        assertEquals(used, listed, "the README's table of suppressions (rule, resource, reason as in the code)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void suppressionsAreOnResourcesAndEachIsUsed(String configuration) throws IOException {
        Stack stack = CONFIGURATIONS.get(configuration).stack().get();
        Template template = CONFIGURATIONS.get(configuration).template().get();
        Map<String, Object> json = Cfn.json(template);
        assertEquals(null, json.get("Metadata"), "no stack-wide suppression");

        Set<String> suppressed = new TreeSet<>();
        for (ReportLine line : report(stack)) {
            if (line.compliance().equals("Suppressed")) {
                suppressed.add(line.ruleId() + " " + line.resource());
            }
        }
        Set<String> declared = new TreeSet<>();
        Map<String, String> paths = resourcePaths(stack);
        Cfn.resources(template).forEach((id, resource) -> {
            Object nag = map(map(resource).getOrDefault("Metadata", Map.of())).get("cdk_nag");
            if (nag == null) {
                return;
            }
            for (Object rule : list(map(nag).get("rules_to_suppress"))) {
                Map<String, Object> suppression = map(rule);
                String ruleId = (String) suppression.get("id");
                if (ruleId.equals("AwsSolutions-IAM5")) {
                    // The * resource, and on the Lambda's role the failure bucket's objects, which
                    // Lambda names itself; LeastPrivilegeTest says which statements may have them.
                    List<Object> appliesTo = list(suppression.get("applies_to"));
                    assertEquals("Resource::*", appliesTo.get(0), id + ": an IAM5 suppression covers the * resource");
                    if (appliesTo.size() > 1) {
                        assertEquals(List.of(Map.of("regex",
                                        "/^Resource::<ProjectionFailureBucket[0-9A-F]{8}\\.Arn>\\/\\*$/")),
                                appliesTo.subList(1, appliesTo.size()), id + ": and the failure bucket's objects only");
                    }
                }
                declared.add(ruleId + " " + paths.get(id));
            }
        });
        assertEquals(suppressed, declared, "each suppression in the template suppresses a finding there");
    }

    /** The messages of {@code stack} in the assembly it was synthesized into (not synthesized again). */
    private static List<SynthesisMessage> assembledMessages(Stack stack) {
        return Stage.of(stack).synth().getStackArtifact(stack.getArtifactId()).getMessages();
    }

    /** The JSON report cdk-nag wrote for {@code stack} into its assembly's directory. */
    private static List<ReportLine> report(Stack stack) throws IOException {
        Path file = Path.of(Stage.of(stack).synth().getDirectory(),
                "AwsSolutions-" + stack.getStackName() + "-NagReport.json");
        assertTrue(Files.exists(file), "no report: the rule pack did not run on " + stack.getStackName());
        List<ReportLine> lines = new ArrayList<>();
        for (Object line : list(map(new ObjectMapper().readValue(file.toFile(), Map.class)).get("lines"))) {
            Map<String, Object> fields = map(line);
            lines.add(new ReportLine((String) fields.get("ruleId"), (String) fields.get("resourceId"),
                    (String) fields.get("compliance"), (String) fields.get("exceptionReason")));
        }
        return lines;
    }

    /** Each resource's construct path (as the report names it), by logical id, from the assembly's manifest. */
    private static Map<String, String> resourcePaths(Stack stack) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (MetadataEntryResult entry : Stage.of(stack).synth().getStackArtifact(stack.getArtifactId())
                .findMetadataByType("aws:cdk:logicalId")) {
            paths.put(String.valueOf(entry.getData()), entry.getPath().replaceFirst("^/", ""));
        }
        return paths;
    }

    private static String belowStack(Stack stack, String path) {
        String prefix = stack.getStackName() + "/";
        assertTrue(path.startsWith(prefix), path);
        return path.substring(prefix.length());
    }

    private static int compare(Suppression a, Suppression b) {
        return (a.ruleId() + "\n" + a.resource() + "\n" + a.reason()).compareTo(b.ruleId() + "\n" + b.resource() + "\n" + b.reason());
    }
}
