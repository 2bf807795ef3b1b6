package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;

/**
 * The CloudFormation validation that CDK runs on each synthesized template (the rules and resource
 * schemas of cloudformation-validate): what CloudFormation or a service would reject at deploy
 * time, such as a character a security group's description may not hold, shows at synthesis.
 * cdk.json turns its findings into errors, so that {@code cdk synth} stops on them.
 */
class TemplateValidationTest {

    static Stream<String> configurations() {
        return AwsSolutionsTest.configurations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theTemplatePassesCloudFormationsValidation(String configuration) throws IOException {
        Stack stack = AwsSolutionsTest.CONFIGURATIONS.get(configuration).stack().get();
        Map<String, Object> report = report(stack);
        List<Object> plugins = list(report.get("pluginReports"));
        assertTrue(plugins.stream().anyMatch(plugin -> "CloudFormation Validate".equals(map(plugin).get("pluginName"))),
                "the validation ran: " + report);
        List<String> violations = new ArrayList<>();
        List<String> acknowledged = new ArrayList<>();
        for (Object plugin : plugins) {
            violations.addAll(describe(map(plugin).get("violations")));
            acknowledged.addAll(describe(map(plugin).get("suppressedViolations")));
        }
        assertEquals(List.of(), violations, "findings of CloudFormation's validation in " + configuration);
        // Acknowledged: the zones named in the settings (W3010, on the subnets and DAX), and the
        // collector's ${env:...} in its configuration, which is the collector's and not CloudFormation's.
        List<String> others = acknowledged.stream()
                .filter(finding -> !finding.startsWith("W3010 Network/Vpc/") && !finding.equals("W3010 Dax/Cluster"))
                .toList();
        assertEquals(List.of("E1029 Service/Task/Resource"), others, "acknowledged findings");
    }

    @Test
    void withCdkJsonsContextAFindingStopsSynthesis() throws IOException {
        App app = new App(AppProps.builder().context(Synth.cdkJsonContext())
                .outdir(Path.of("target", "cdk-test", "invalid").toString()).build());
        Stack stack = new Stack(app, "Invalid");
        IVpc vpc = Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0").availabilityZones(List.of("eu-west-1a")).build());
        new SecurityGroup(stack, "Group", SecurityGroupProps.builder()
                .vpc(vpc).description("the database's port").build());
        RuntimeException stopped = assertThrows(RuntimeException.class, app::synth);
        assertTrue(String.valueOf(stopped.getMessage()).contains("Validation failed"), stopped.getMessage());
        assertTrue(Files.readString(Path.of("target", "cdk-test", "invalid", "validation-report.json"))
                .contains("\"F3031\""), "the finding: a character the description may not hold");
    }

    /** Each finding as its rule and the construct paths below the stack. */
    private static List<String> describe(Object findings) {
        List<String> described = new ArrayList<>();
        for (Object finding : list(findings == null ? List.of() : findings)) {
            for (Object construct : list(map(finding).get("violatingConstructs"))) {
                String path = ((String) map(construct).get("constructPath")).replaceFirst("^[^/]+/", "");
                described.add(map(finding).get("ruleName") + " " + path);
            }
        }
        return described;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Stack stack) throws IOException {
        Path file = Path.of(Stage.of(stack).synth().getDirectory(), "validation-report.json");
        assertTrue(Files.exists(file), "no validation report for " + stack.getStackName());
        return new ObjectMapper().readValue(file.toFile(), Map.class);
    }
}
