package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings from the context: defaults (cdk.json), -c strings, and what is refused. */
class StackSettingsTest {

    private static StackSettings from(Map<String, Object> overrides) {
        Map<String, Object> context = Synth.cdkJsonContext();
        context.putAll(Synth.requiredContext());
        context.putAll(overrides);
        return StackSettings.fromContext(context::get);
    }

    private static IllegalArgumentException refused(Map<String, Object> overrides) {
        return assertThrows(IllegalArgumentException.class, () -> from(overrides));
    }

    @Test
    void defaultsAreThoseOfCdkJson() {
        StackSettings settings = from(Map.of());
        assertEquals("cruddur-messages", settings.tableName());
        assertEquals(1, settings.natGateways());
        assertEquals(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), settings.availabilityZones());
        assertEquals("cruddur-messages", settings.imageRepository());
        assertEquals(1024, settings.taskCpu());
        assertEquals(2048, settings.taskMemoryMiB());
        assertEquals(2, settings.minTasks());
        assertEquals(6, settings.maxTasks());
        assertFalse(settings.daxEnabled());
        assertEquals("dax.t3.small", settings.daxNodeType());
        assertFalse(settings.existingUserPool());
        assertEquals(Optional.empty(), settings.certificateArn());
        assertEquals(Optional.empty(), settings.dynamodbPrefixListId());
        assertEquals(5432, settings.postgresPort());
    }

    @Test
    void defaultsHoldWithoutCdkJsonToo() {
        StackSettings settings = StackSettings.fromContext(Synth.requiredContext()::get);
        assertEquals(from(Map.of()), settings);
    }

    @Test
    void reportsEveryMissingRequiredKeyAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromContext(new HashMap<String, Object>()::get));
        for (String key : List.of("account", "region", "imageTag", "databaseSecretArn", "postgresUrl", "frontendOrigins")) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void acceptsStringsFromTheCommandLine() {
        StackSettings settings = from(Map.of(
                "natGateways", "2", "daxEnabled", "true", "maxTasks", "10",
                "availabilityZones", "eu-west-1b,eu-west-1c",
                "postgresUrl", "postgresql://db.internal:6543/cruddur"));
        assertEquals(2, settings.natGateways());
        assertTrue(settings.daxEnabled());
        assertEquals(10, settings.maxTasks());
        assertEquals(List.of("eu-west-1b", "eu-west-1c"), settings.availabilityZones());
        assertEquals(6543, settings.postgresPort());
    }

    @Test
    void treatsAnEmptyOptionalValueAsUnset() {
        StackSettings settings = from(Map.of("certificateArn", "", "dynamodbPrefixListId", " "));
        assertEquals(Optional.empty(), settings.certificateArn());
        assertEquals(Optional.empty(), settings.dynamodbPrefixListId());
    }

    @Test
    void refusesAJdbcUrlOrOneWithoutADatabase() {
        assertTrue(refused(Map.of("postgresUrl", "jdbc:postgresql://db:5432/cruddur")).getMessage().contains("jdbc"));
        refused(Map.of("postgresUrl", "postgresql://db:5432/"));
    }

    @Test
    void refusesASecretArnWithoutItsSuffix() {
        // A partial ARN would need a wildcard in the execution role's policy.
        refused(Map.of("databaseSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cruddur/postgres"));
    }

    @Test
    void refusesHalfAnExistingUserPool() {
        refused(Map.of("userPoolId", Synth.EXISTING_POOL));
        refused(Map.of("userPoolClientId", Synth.EXISTING_CLIENT));
    }

    @Test
    void refusesImpossibleSizes() {
        refused(Map.of("natGateways", 4));
        refused(Map.of("natGateways", 0));
        refused(Map.of("minTasks", 1));
        refused(Map.of("maxTasks", 1));
        refused(Map.of("availabilityZones", "eu-west-1a"));
        refused(Map.of("natGateways", "two"));
    }

    @Test
    void refusesABadDaxNameOrFlag() {
        refused(Map.of("daxClusterName", "Cruddur_Messages"));
        refused(Map.of("daxEnabled", "yes"));
    }
}
