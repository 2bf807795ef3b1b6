package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;

/**
 * PostgreSQL: created by default (RDS, encrypted, private, TLS only, reachable from the service
 * only), or an existing one used as given ({@link Synth#full()}).
 */
class DatabaseTest {

    private static Template created;
    private static Template multiAz;
    private static Template existing;
    private static String instanceId;
    private static String secretId;
    private static Map<String, Object> instance;

    @BeforeAll
    static void synthesize() {
        created = Synth.defaults();
        multiAz = Synth.twoZones();
        existing = Synth.full();
        instanceId = Cfn.onlyId(created, "AWS::RDS::DBInstance");
        secretId = Cfn.onlyIdUnder(created, "AWS::SecretsManager::Secret", "DatabaseSecret");
        instance = Cfn.properties(created, instanceId);
    }

    @Test
    void isCreatedWhenNoDatabaseIsGiven() {
        assertFalse(Synth.cdkJsonContext().containsKey("databaseSecretArn"));
        assertFalse(Synth.cdkJsonContext().containsKey("postgresUrl"));
        created.resourceCountIs("AWS::RDS::DBInstance", 1);
        created.resourceCountIs("AWS::RDS::DBSubnetGroup", 1);
        created.resourceCountIs("AWS::RDS::DBParameterGroup", 1);
        List<Object> attached = new java.util.ArrayList<>();
        Cfn.ofType(created, "AWS::SecretsManager::SecretTargetAttachment").values()
                .forEach(attachment -> attached.add(map(attachment.get("Properties")).get("SecretId")));
        assertEquals(Set.of(Cfn.ref(secretId), Cfn.ref(applicationSecret()),
                        Cfn.ref(Cfn.onlyIdUnder(created, "AWS::SecretsManager::Secret", "DatabaseSignUpSecret"))),
                Set.copyOf(attached), "the master's, the service's and the sign-up trigger's logins, each with the address");
    }

    @Test
    void bothLoginsRotateTheServicesWithAlternatingUsers() {
        // The service signs in as its own login (a member of cruddur_app, db/migration/V3), which
        // the rotation alternates with its clone; the master, used only by the init run, rotates in place.
        Map<String, Object> generated = map(Cfn.properties(created, applicationSecret()).get("GenerateSecretString"));
        String template = Policies.toJson(generated.get("SecretStringTemplate"));
        assertTrue(template.contains("cruddur_service"), template);
        assertTrue(template.contains("masterarn") && template.contains(secretId),
                "the alternating-users function signs in as the master to make the clone: " + template);
        assertTrue(((String) generated.get("ExcludeCharacters")).contains("$"), "Quarkus would expand it in the password");
        Map<String, Map<String, Object>> schedules = Cfn.ofType(created, "AWS::SecretsManager::RotationSchedule");
        assertEquals(3, schedules.size(), "the master's, the service's and the sign-up trigger's");
        Set<Object> rotated = new java.util.HashSet<>();
        schedules.values().forEach(schedule -> {
            Map<String, Object> properties = map(schedule.get("Properties"));
            rotated.add(properties.get("SecretId"));
            assertEquals(Map.of("ScheduleExpression", "rate(30 days)"), properties.get("RotationRules"));
            // Not at creation: the first rotation signs in as the login the first init run makes.
            assertEquals(false, properties.get("RotateImmediatelyOnUpdate"));
        });
        assertEquals(3, rotated.size(), "each secret its schedule: " + rotated);
        assertEquals(3, Cfn.ofType(created, "AWS::Serverless::Application").size(), "AWS's rotation functions");
    }

    private static String applicationSecret() {
        return Cfn.onlyIdUnder(created, "AWS::SecretsManager::Secret", "DatabaseApplicationSecret");
    }

    @Test
    void runsTheNewestPostgres17TheCdkKnows() {
        assertEquals("postgres", instance.get("Engine"));
        assertEquals(newestPostgres17(), instance.get("EngineVersion"));
        assertTrue(((String) instance.get("EngineVersion")).startsWith("17."));
        assertEquals("postgres17", Cfn.onlyProperties(created, "AWS::RDS::DBParameterGroup").get("Family"));
    }

    @Test
    void isSmallAndSingleZoneByDefaultAndSizedFromTheContext() {
        // The smallest class whose connections hold maxTasks' pools (StackSettingsTest).
        assertEquals("db.t4g.small", instance.get("DBInstanceClass"));
        assertEquals(false, instance.get("MultiAZ"));
        Map<String, Object> bigger = Cfn.onlyProperties(multiAz, "AWS::RDS::DBInstance");
        assertEquals("db.m7g.large", bigger.get("DBInstanceClass"));
        assertEquals(true, bigger.get("MultiAZ"));
    }

    @Test
    void hasTwentyGibOfGp3GrowingToAHundred() {
        assertEquals("20", instance.get("AllocatedStorage"));
        assertEquals(100, instance.get("MaxAllocatedStorage"));
        assertEquals("gp3", instance.get("StorageType"));
    }

    @Test
    void storageIsEncryptedWithARetainedKeyOfItsOwn() {
        assertEquals(true, instance.get("StorageEncrypted"));
        String key = Cfn.referencedId(instance.get("KmsKeyId"));
        assertEquals(Cfn.getAtt(key, "Arn"), instance.get("KmsKeyId"));
        assertEquals("AWS::KMS::Key", Cfn.typeOf(created, key));
        String tableKey = Cfn.referencedId(map(map(Cfn.properties(created, Cfn.messagesTable(created))
                .get("SSESpecification"))).get("KMSMasterKeyId"));
        assertNotEquals(tableKey, key, "not the table's key");
        assertEquals(true, Cfn.properties(created, key).get("EnableKeyRotation"));
        Map<String, Object> keyResource = map(Cfn.resources(created).get(key));
        // Kept for the final snapshot, which needs it; taken away only if its first creation rolls back.
        assertEquals("RetainExceptOnCreate", keyResource.get("DeletionPolicy"), "the final snapshot needs it");
        assertEquals("Retain", keyResource.get("UpdateReplacePolicy"));
        created.hasResourceProperties("AWS::KMS::Alias", Map.of(
                "AliasName", "alias/cruddur-messages-database",
                "TargetKeyId", Cfn.getAtt(key, "Arn")));
    }

    @Test
    void credentialsAreAGeneratedSecretWithAUrlSafePassword() {
        Map<String, Object> secret = Cfn.properties(created, secretId);
        Map<String, Object> generate = map(secret.get("GenerateSecretString"));
        assertEquals("{\"username\":\"cruddur\"}", generate.get("SecretStringTemplate"));
        assertEquals("password", generate.get("GenerateStringKey"));
        String excluded = (String) generate.get("ExcludeCharacters");
        for (char c : " :/?#[]@!$&'()*+,;=%\"\\`{}|^<>~".toCharArray()) {
            assertTrue(excluded.indexOf(c) >= 0, "the password may contain " + c);
        }
        for (char c : "-._".toCharArray()) {
            assertEquals(-1, excluded.indexOf(c), "unreserved in URLs, left in: " + c);
        }
        assertFalse(secret.containsKey("KmsKeyId"), "on Secrets Manager's own key: no KMS grant needed");
        assertEquals("cruddur", instance.get("MasterUsername"));
        assertEquals(Map.of("Fn::Join", List.of("", List.of(
                        "{{resolve:secretsmanager:", Cfn.ref(secretId), ":SecretString:password::}}"))),
                instance.get("MasterUserPassword"));
        assertEquals("cruddur", instance.get("DBName"));
        assertFalse(instance.containsKey("ManageMasterUserPassword"));
    }

    @Test
    void livesInThePrivateSubnetsWithoutAPublicAddress() {
        Map<String, Object> subnetGroup = Cfn.onlyProperties(created, "AWS::RDS::DBSubnetGroup");
        Set<String> subnets = new TreeSet<>();
        list(subnetGroup.get("SubnetIds")).forEach(s -> subnets.add(Cfn.referencedId(s)));
        assertEquals(new TreeSet<>(Cfn.subnetIds(created, "private")), subnets);
        assertEquals(Cfn.ref(Cfn.onlyId(created, "AWS::RDS::DBSubnetGroup")), instance.get("DBSubnetGroupName"));
        assertEquals(false, instance.get("PubliclyAccessible"));
    }

    @Test
    void acceptsOnlyTheServiceOnPort5432() {
        String group = databaseGroup();
        String service = MessagesServiceTest.serviceGroup(created);
        assertEquals("5432", instance.get("Port"));
        // The service's tasks, the sign-up trigger, and AWS's rotation functions (they set the passwords as the master).
        List<Map<String, Object>> ingress = SecurityGroups.ingress(created, group);
        assertEquals(5, ingress.size(), ingress.toString());
        assertTrue(ingress.contains(Map.of("IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432,
                "SourceSecurityGroupId", service)), ingress.toString());
        for (Map<String, Object> rule : ingress) {
            String source = (String) rule.get("SourceSecurityGroupId");
            assertTrue(source.equals(service) || source.startsWith("SignUpSecurityGroup")
                    || source.startsWith("DatabaseInstanceRotationSingleUser") || source.startsWith("DatabaseInstanceApplicationRotation")
                    || source.startsWith("DatabaseInstanceSignUpRotation"), rule.toString());
        }
        assertEquals(List.of(), SecurityGroups.egress(created, group), "the database opens no connections");
        List<Map<String, Object>> serviceEgress = SecurityGroups.egress(created, service);
        assertTrue(serviceEgress.contains(Map.of("IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432,
                "DestinationSecurityGroupId", group)), serviceEgress.toString());
        assertTrue(serviceEgress.stream().noneMatch(rule -> rule.get("FromPort").equals(5432)
                && rule.containsKey("CidrIp")), "not to any address: " + serviceEgress);
    }

    @Test
    void isProtectedBackedUpAndSnapshottedOnDeletion() {
        assertEquals(true, instance.get("DeletionProtection"));
        assertEquals(7, instance.get("BackupRetentionPeriod"));
        created.hasResource("AWS::RDS::DBInstance", Map.of(
                "DeletionPolicy", "Snapshot",
                "UpdateReplacePolicy", "Snapshot"));
        assertEquals(true, instance.get("CopyTagsToSnapshot"));
    }

    @Test
    void requiresTls() {
        String parameters = Cfn.onlyId(created, "AWS::RDS::DBParameterGroup");
        assertEquals(Map.of("rds.force_ssl", "1"), Cfn.properties(created, parameters).get("Parameters"));
        assertEquals(Cfn.ref(parameters), instance.get("DBParameterGroupName"));
        assertEquals("rds-ca-rsa2048-g1", instance.get("CACertificateIdentifier"));
    }

    @Test
    void exportsItsLogsToALogGroupWithRetention() {
        assertEquals("cruddur-messages", instance.get("DBInstanceIdentifier"));
        assertEquals(List.of("postgresql"), instance.get("EnableCloudwatchLogsExports"));
        String logGroup = Cfn.ofType(created, "AWS::Logs::LogGroup").entrySet().stream()
                .filter(e -> "/aws/rds/instance/cruddur-messages/postgresql"
                        .equals(map(e.getValue().get("Properties")).get("LogGroupName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertEquals(30, Cfn.properties(created, logGroup).get("RetentionInDays"));
        created.hasResource("AWS::RDS::DBInstance", Map.of("DependsOn", Match.arrayWith(List.of(logGroup))));
        // No LogRetention custom resource (a Lambda with an AWS managed policy).
        created.resourceCountIs("Custom::LogRetention", 0);
    }

    @Test
    void upgradesMinorVersionsAndSignsInWithThePassword() {
        assertEquals(true, instance.get("AutoMinorVersionUpgrade"));
        assertEquals(false, instance.get("EnableIAMDatabaseAuthentication"));
        assertFalse(instance.containsKey("MonitoringRoleArn"), "no enhanced-monitoring role");
    }

    @Test
    void theServiceConnectsToItWithVerifiedTls() {
        Map<String, Object> environment = DaxTest.containerEnvironment(created);
        assertEquals(Map.of("Fn::Join", List.of("", List.of(
                        "postgresql://", Cfn.getAtt(instanceId, "Endpoint.Address"), ":",
                        Cfn.getAtt(instanceId, "Endpoint.Port"), "/cruddur"))),
                environment.get("POSTGRES_URL"));
        assertEquals("verify-full", environment.get("POSTGRES_SSL_MODE"));
        assertEquals("/deployments/rds-ca.pem", environment.get("POSTGRES_CA_FILE"));
        // The service's own login, by its attachment (which adds the instance's address to the secret).
        Object login = Cfn.ref(Cfn.onlyIdUnder(created, "AWS::SecretsManager::SecretTargetAttachment",
                "DatabaseApplicationSecretAttachment"));
        assertEquals(List.of(
                        Map.of("Name", "POSTGRES_USER", "ValueFrom", joined(login, ":username::")),
                        Map.of("Name", "POSTGRES_PASSWORD", "ValueFrom", joined(login, ":password::"))),
                postgresSecrets(created));
    }

    @Test
    void theOutputsNameTheInstanceTheSecretAndTheKey() {
        created.hasOutput("DatabaseEndpoint", Map.of("Value", Cfn.getAtt(instanceId, "Endpoint.Address")));
        created.hasOutput("DatabaseSecretArn", Map.of("Value", Cfn.ref(secretId)));
        created.hasOutput("DatabaseKeyArn", Map.of("Value", instance.get("KmsKeyId")));
    }

    @Test
    void anExistingDatabaseIsUsedAsGiven() {
        for (String type : List.of("AWS::RDS::DBInstance", "AWS::RDS::DBSubnetGroup", "AWS::RDS::DBParameterGroup",
                "AWS::SecretsManager::SecretTargetAttachment")) {
            existing.resourceCountIs(type, 0);
        }
        // The only secrets are the event cache's (its users' passwords).
        Cfn.onlyIdUnder(existing, "AWS::SecretsManager::Secret", "EventsSecret");
        Cfn.onlyIdUnder(existing, "AWS::SecretsManager::Secret", "EventsDefaultUserSecret");
        existing.resourceCountIs("AWS::SecretsManager::Secret", 2);
        // No key of its own: the three keys are the table's, the texts' and the alarm topic's.
        existing.resourceCountIs("AWS::KMS::Key", 3);
        assertEquals(Set.of("alias/cruddur-messages-table", "alias/cruddur-messages-texts", "alias/cruddur-messages-alarms"),
                Cfn.ofType(existing, "AWS::KMS::Alias").values().stream()
                        .map(alias -> map(alias.get("Properties")).get("AliasName")).collect(Collectors.toSet()));
        Map<String, Object> environment = DaxTest.containerEnvironment(existing);
        assertEquals(Synth.POSTGRES_URL, environment.get("POSTGRES_URL"));
        assertEquals("verify-ca", environment.get("POSTGRES_SSL_MODE"), "from postgresSslMode");
        assertEquals("/deployments/rds-ca.pem", environment.get("POSTGRES_CA_FILE"));
        assertEquals(List.of(
                        Map.of("Name", "POSTGRES_USER", "ValueFrom", Synth.SECRET_ARN + ":username::"),
                        Map.of("Name", "POSTGRES_PASSWORD", "ValueFrom", Synth.SECRET_ARN + ":password::")),
                postgresSecrets(existing));
        // Its address is outside the stack: the port to any address, its own group decides.
        assertTrue(SecurityGroups.egress(existing, MessagesServiceTest.serviceGroup(existing)).contains(
                Map.of("CidrIp", "0.0.0.0/0", "IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432)));
        Set<String> outputs = map(existing.toJSON().get("Outputs")).keySet();
        assertTrue(outputs.stream().noneMatch(name -> name.startsWith("Database")), outputs.toString());
    }

    private static String databaseGroup() {
        return Cfn.referencedId(list(instance.get("VPCSecurityGroups")).get(0));
    }

    private static Map<String, Object> joined(Object... parts) {
        return Map.of("Fn::Join", List.of("", List.of(parts)));
    }

    /** The full version of the newest {@code VER_17_<minor>} constant in the CDK on the class path. */
    private static String newestPostgres17() {
        Field newest = Arrays.stream(PostgresEngineVersion.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().matches("VER_17_\\d+"))
                .max(Comparator.comparingInt(f -> Integer.parseInt(f.getName().substring("VER_17_".length()))))
                .orElseThrow();
        try {
            return ((PostgresEngineVersion) newest.get(null)).getPostgresFullVersion();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The container's secrets that belong to the database (the event cache's password is MessagesServiceTest's). */
    private static List<Object> postgresSecrets(Template template) {
        return Cfn.list(MessagesServiceTest.containerOf(template).get("Secrets")).stream()
                .filter(secret -> Cfn.map(secret).get("Name").toString().startsWith("POSTGRES_")).toList();
    }
}
