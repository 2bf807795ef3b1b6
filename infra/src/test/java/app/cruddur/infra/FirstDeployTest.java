package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * A stack that creates, fails and is created again cleanly, as far as a template can show it: what
 * synthesis passes but AWS would refuse at creation is kept out, and nothing a failed first
 * deployment leaves behind stands in the way of the next one (docs/deploy.md, "First deployment").
 */
class FirstDeployTest {

    /**
     * The properties that give a resource a name of its own, unique in the account and region (or
     * globally): a second resource of that name cannot be created while the first exists.
     */
    private static final Set<String> NAME_PROPERTIES = Set.of("TableName", "LogGroupName", "BucketName",
            "DBInstanceIdentifier", "ClusterName", "ServerlessCacheName", "UserGroupId", "UserId", "TrailName", "Name",
            "TopicName", "QueueName", "AliasName", "ConfigRuleName", "SubnetGroupName", "ParameterGroupName",
            "SecretName", "RoleName", "FunctionName");

    private static List<Template> all() {
        return List.of(Synth.defaults(), Synth.full(), Synth.twoZones(), Synth.production());
    }

    @Test
    void noResourceWithAFixedNameOutlivesTheRollbackOfItsCreation() {
        // "Retain" keeps a resource when the deployment that created it rolls back, and the retry
        // then fails on its name; RetainExceptOnCreate keeps it only once it has been created for good.
        for (Template template : all()) {
            List<String> blocking = new ArrayList<>();
            Cfn.resources(template).forEach((id, value) -> {
                Map<String, Object> resource = map(value);
                Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()));
                boolean named = properties.keySet().stream().anyMatch(NAME_PROPERTIES::contains);
                if (named && "Retain".equals(resource.get("DeletionPolicy"))) {
                    blocking.add(id + " (" + resource.get("Type") + ")");
                }
            });
            assertEquals(List.of(), blocking, "named resources kept after the rollback of their creation");
        }
        // The stateful ones in question: kept on deletion and replacement, gone when their creation fails.
        Template template = Synth.defaults();
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::Cognito::UserPool")) {
            template.hasResource(type, Map.of("DeletionPolicy", "RetainExceptOnCreate", "UpdateReplacePolicy", "Retain"));
        }
        assertEquals("RetainExceptOnCreate", map(Cfn.resources(template).get(
                Cfn.onlyIdUnder(template, "AWS::Logs::LogGroup", "DatabaseLogs"))).get("DeletionPolicy"),
                "the database's log group, named for the instance");
    }

    @Test
    void theEventCacheHasNoUserWithoutAPassword() {
        // A Valkey user group accepts only users with a password or IAM authentication: a
        // password-less default user fails the group's creation.
        for (Template template : all()) {
            Map<String, Map<String, Object>> users = Cfn.ofType(template, "AWS::ElastiCache::User");
            assertEquals(3, users.size());
            users.forEach((id, user) -> {
                Map<String, Object> properties = map(user.get("Properties"));
                assertFalse(properties.containsKey("NoPasswordRequired"), id);
                Object type = map(properties.get("AuthenticationMode")).get("Type");
                assertTrue(Set.of("password", "iam").contains(type), id + ": " + type);
            });
            Map<String, Object> defaultUser = users.values().stream().map(user -> map(user.get("Properties")))
                    .filter(user -> "default".equals(user.get("UserName"))).findFirst().orElseThrow();
            assertEquals("off -@all", defaultUser.get("AccessString"), "the default user can do nothing");
            assertTrue(Policies.toJson(defaultUser.get("AuthenticationMode")).contains("resolve:secretsmanager"),
                    "its password is generated, never in the template");
        }
    }

    @Test
    void theConfigRulesAreThereOnlyWhenAskedFor() {
        // Without the account's configuration recorder, a Config rule fails the stack's creation
        // (NoAvailableConfigurationRecorderException), which synthesis cannot see.
        for (Template template : List.of(Synth.defaults(), Synth.full(), Synth.twoZones())) {
            template.resourceCountIs("AWS::Config::ConfigRule", 0);
        }
        Template production = Synth.production();
        production.resourceCountIs("AWS::Config::ConfigRule", 3);
        List<Object> names = new ArrayList<>();
        Cfn.ofType(production, "AWS::Config::ConfigRule").values()
                .forEach(rule -> names.add(map(rule.get("Properties")).get("ConfigRuleName")));
        assertEquals(Set.of("cruddur-messages-pitr-enabled", "cruddur-messages-encrypted-with-key",
                "cruddur-messages-deletion-protection"), Set.copyOf(names), "named, so that the watch can name them");
    }

    @Test
    void theProtectionsStayOnAndTheFirstDeploymentDoesNotRollBack() throws Exception {
        // Deletion protection would fail the rollback of a failed first deployment; docs/deploy.md
        // deploys it with --no-rollback, so that the next deployment resumes where it stopped.
        Template template = Synth.defaults();
        assertEquals(true, Cfn.properties(template, Cfn.messagesTable(template)).get("DeletionProtectionEnabled"));
        assertEquals(true, Cfn.onlyProperties(template, "AWS::RDS::DBInstance").get("DeletionProtection"));
        assertEquals("ACTIVE", Cfn.onlyProperties(template, "AWS::Cognito::UserPool").get("DeletionProtection"));
        String deploy = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/deploy.md"));
        assertTrue(deploy.contains("--no-rollback"), "docs/deploy.md deploys the first time with --no-rollback");
    }

    @Test
    void theImageTheTasksRunIsTheOneNamed() {
        // ECS keeps trying a task whose image does not exist: the repository and tag are given,
        // and the image must be pushed before the deployment (docs/deploy.md).
        Map<String, Object> container = map(list(Cfn.onlyProperties(Synth.defaults(), "AWS::ECS::TaskDefinition")
                .get("ContainerDefinitions")).get(0));
        assertTrue(Policies.toJson(container.get("Image")).contains("/cruddur-messages:" + Synth.IMAGE_TAG),
                container.get("Image").toString());
    }
}
