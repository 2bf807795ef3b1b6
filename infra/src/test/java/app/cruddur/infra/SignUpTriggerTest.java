package app.cruddur.infra;

import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.users.SignUpTrigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The created pool's post-confirmation trigger: the function that writes a confirmed user's
 * {@code users} row, what it may reach and read, and the configurations without it.
 */
class SignUpTriggerTest {

    private static Template defaults;
    private static String function;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        function = Cfn.onlyIdUnder(defaults, "AWS::Lambda::Function", "SignUpFunction");
    }

    @Test
    void theCreatedPoolCallsTheTriggerWhenAUserConfirmsAndOnlyThatPoolMayInvokeIt() {
        Map<String, Object> pool = Cfn.onlyProperties(defaults, "AWS::Cognito::UserPool");
        assertEquals(Map.of("PostConfirmation", Cfn.getAtt(function, "Arn")), pool.get("LambdaConfig"));
        List<Map<String, Object>> permissions = Cfn.ofType(defaults, "AWS::Lambda::Permission").values().stream()
                .map(resource -> map(resource.get("Properties")))
                .filter(permission -> Cfn.getAtt(function, "Arn").equals(permission.get("FunctionName")))
                .toList();
        assertEquals(List.of(Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", Cfn.getAtt(function, "Arn"),
                "Principal", "cognito-idp.amazonaws.com",
                "SourceArn", Cfn.getAtt(Cfn.onlyId(defaults, "AWS::Cognito::UserPool"), "Arn"))), permissions);
    }

    @Test
    void theFunctionRunsTheHandlerInThePrivateSubnetsWithinCognitosWait() {
        Map<String, Object> properties = Cfn.properties(defaults, function);
        assertEquals(SignUpTrigger.HANDLER, properties.get("Handler"));
        assertEquals("java25", properties.get("Runtime"));
        assertEquals(Map.of("Mode", "Active"), properties.get("TracingConfig"), "each invocation a segment in X-Ray");
        assertEquals(5, properties.get("Timeout"), "Cognito waits 5 s for a trigger");
        assertEquals(1024, properties.get("MemorySize"));
        Map<String, Object> vpc = map(properties.get("VpcConfig"));
        assertEquals(Cfn.subnetIds(defaults, "private").stream().map(Cfn::ref).collect(Collectors.toSet()),
                Set.copyOf(Cfn.list(vpc.get("SubnetIds"))));
        assertEquals(List.of(Cfn.getAtt(Cfn.onlyIdUnder(defaults, "AWS::EC2::SecurityGroup", "SignUpSecurityGroup"),
                "GroupId")), vpc.get("SecurityGroupIds"));
    }

    @Test
    void itSignsInWithTheSignUpLoginOfTheCreatedDatabaseOverVerifiedTls() {
        Map<String, Object> variables = map(map(Cfn.properties(defaults, function).get("Environment")).get("Variables"));
        Object signUpSecret = Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment",
                "DatabaseSignUpSecretAttachment"));
        assertEquals(signUpSecret, variables.get("DATABASE_SECRET_ARN"));
        assertEquals("verify-full", variables.get("POSTGRES_SSL_MODE"));
        assertTrue(Policies.toJson(variables.get("POSTGRES_URL")).contains("Endpoint.Address"), variables.toString());
        assertEquals(Set.of("DATABASE_SECRET_ARN", "POSTGRES_SSL_MODE", "POSTGRES_URL"), variables.keySet());
    }

    @Test
    void itsRoleReadsOnlyItsSecretAndWritesOnlyItsLogs() {
        String role = Cfn.referencedId(Cfn.properties(defaults, function).get("Role"));
        assertEquals(Map.of(
                        "secret", Set.of("secretsmanager:GetSecretValue"),
                        "log-group", Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        "*", Set.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
                                "xray:PutTraceSegments", "xray:PutTelemetryRecords")),
                Policies.actionsByResource(defaults, role));
        List<Object> secrets = Policies.ofRole(defaults, role).stream()
                .filter(statement -> statement.actions().contains("secretsmanager:GetSecretValue"))
                .flatMap(statement -> statement.resources().stream()).toList();
        assertEquals(List.of(Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment",
                "DatabaseSignUpSecretAttachment"))), secrets, "the sign-up login's secret, not the master's");
    }

    @Test
    void itReachesOnlyTheDatabasesPortAndHttps() {
        String group = Cfn.onlyIdUnder(defaults, "AWS::EC2::SecurityGroup", "SignUpSecurityGroup");
        assertEquals(List.of(Map.of("CidrIp", "0.0.0.0/0", "Description", "HTTPS: Secrets Manager",
                        "FromPort", 443, "IpProtocol", "tcp", "ToPort", 443)),
                Cfn.properties(defaults, group).get("SecurityGroupEgress"));
        List<Map<String, Object>> egress = Cfn.ofType(defaults, "AWS::EC2::SecurityGroupEgress").values().stream()
                .map(resource -> map(resource.get("Properties")))
                .filter(rule -> Cfn.getAtt(group, "GroupId").equals(rule.get("GroupId")))
                .toList();
        assertEquals(1, egress.size(), egress.toString());
        assertEquals(Cfn.getAtt(Cfn.onlyIdUnder(defaults, "AWS::EC2::SecurityGroup", "DatabaseSecurityGroup"), "GroupId"),
                egress.get(0).get("DestinationSecurityGroupId"));
        assertEquals(5432, egress.get(0).get("FromPort"));
        assertEquals(5432, egress.get(0).get("ToPort"));
    }

    @Test
    void withAnExistingDatabaseItSignsInWithTheGivenSecret() {
        Template ownPool = Synth.ownPoolExistingDatabase();
        String existing = Cfn.onlyIdUnder(ownPool, "AWS::Lambda::Function", "SignUpFunction");
        Map<String, Object> variables = map(map(Cfn.properties(ownPool, existing).get("Environment")).get("Variables"));
        assertEquals(Synth.SECRET_ARN, variables.get("DATABASE_SECRET_ARN"));
        assertEquals(Synth.POSTGRES_URL, variables.get("POSTGRES_URL"));
        assertEquals(Map.of("PostConfirmation", Cfn.getAtt(existing, "Arn")),
                Cfn.onlyProperties(ownPool, "AWS::Cognito::UserPool").get("LambdaConfig"));
    }

    @Test
    void anExistingPoolGetsNoTriggerItsApplicationWritesTheRows() {
        Template full = Synth.full();
        assertEquals(List.of(), Cfn.ofType(full, "AWS::Lambda::Function").keySet().stream()
                .filter(id -> id.startsWith("SignUp")).toList());
        full.resourceCountIs("AWS::Cognito::UserPool", 0);
    }

    @Test
    void aJarWithoutAmazonRdssCaBundleOrNoJarIsRefused(@TempDir Path dir) throws IOException {
        Path withoutCa = dir.resolve("signup-lambda.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(withoutCa))) {
            zip.putNextEntry(new ZipEntry("app/cruddur/Handler.class"));
            zip.write("not a class".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        Map<String, Object> context = Synth.cdkJsonContext();
        context.putAll(Synth.requiredContext());
        for (Path jar : List.of(withoutCa, dir.resolve("missing.jar"))) {
            context.put("signUpLambdaJarPath", jar.toString());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new MessagesStack(new App(), "Refused",
                            StackSettings.fromContext(context::get)));
            assertTrue(refused.getMessage().startsWith("signUpLambdaJarPath: "), refused.getMessage());
            assertTrue(refused.getMessage().contains("-Prds-ca"), refused.getMessage());
        }
    }
}
