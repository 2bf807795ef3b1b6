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

    /** Settings naming an existing database, with {@code overrides}. */
    private static Map<String, Object> existing(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(Synth.existingDatabaseContext());
        context.putAll(overrides);
        return context;
    }

    @Test
    void theShareOfTracesKeptIsAFractionTheServiceDefaultsTo() {
        assertEquals("0.05", from(Map.of()).tracesSampleRatio(), "the service's own default");
        assertEquals("1", from(Map.of("tracesSampleRatio", "1")).tracesSampleRatio());
        assertEquals("0", from(Map.of("tracesSampleRatio", 0)).tracesSampleRatio());
        for (Object wrong : List.of("1.5", "-0.1", "five percent", "NaN")) {
            assertTrue(refused(Map.of("tracesSampleRatio", wrong)).getMessage().startsWith("tracesSampleRatio"), String.valueOf(wrong));
        }
    }

    @Test
    void rateLimitsAreLimitPeriodAndBurst() {
        StackSettings settings = from(Map.of("rateLimitConversations", "5/30m/2"));
        assertEquals("5/30m/2", settings.rateLimits().conversations().toString());
        assertEquals("30/1m/10", settings.rateLimits().messages().toString(), "the service's default");
        assertTrue(refused(Map.of("rateLimitMessages", "30 a minute")).getMessage().startsWith("rateLimitMessages: LIMIT/PERIOD/BURST"));
        assertTrue(refused(Map.of("rateLimitTickets", "0/1m/10")).getMessage().startsWith("rateLimitTickets:"));
        assertTrue(refused(Map.of("rateLimitTickets", "10/0s/10")).getMessage().startsWith("rateLimitTickets:"));
        assertTrue(refused(Map.of("rateLimitProfileLookups", "60/1m/0")).getMessage().startsWith("rateLimitProfileLookups:"));
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
        // No database given: the stack creates one.
        assertFalse(settings.existingDatabase());
        assertEquals(Optional.empty(), settings.databaseSecretArn());
        assertEquals(Optional.empty(), settings.postgresUrl());
        // The smallest class whose connections hold 6 tasks' pools (6 × 22 + 10 = 142): db.t4g.small, about 192.
        assertEquals("t4g.small", settings.databaseInstanceType());
        assertEquals(142, settings.databaseConnections());
        assertFalse(settings.databaseMultiAz());
        assertFalse(settings.production());
        assertFalse(settings.configRules());
        assertEquals(1500, settings.firewallRateLimit());
        assertEquals("verify-full", settings.postgresSslMode());
        assertEquals(5432, settings.postgresPort());
        assertEquals("cruddur-messages", settings.databaseIdentifier());
        // Listed in cdk.json, empty: the alarm topic has no subscription until one is given.
        assertEquals("", Synth.cdkJsonContext().get("alarmEmail"));
        assertEquals(Optional.empty(), settings.alarmEmail());
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
        for (String key : List.of("account", "region", "imageTag", "frontendOrigins")) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        // Without an existing database the stack creates one: neither key is required.
        assertFalse(e.getMessage().contains("databaseSecretArn"), e.getMessage());
        assertFalse(e.getMessage().contains("postgresUrl"), e.getMessage());
    }

    @Test
    void refusesHalfAnExistingDatabaseNamingWhatIsMissing() {
        IllegalArgumentException noUrl = refused(Map.of("databaseSecretArn", Synth.SECRET_ARN));
        assertTrue(noUrl.getMessage().startsWith("missing context: postgresUrl"), noUrl.getMessage());
        IllegalArgumentException noSecret = refused(Map.of("postgresUrl", Synth.POSTGRES_URL));
        assertTrue(noSecret.getMessage().startsWith("missing context: databaseSecretArn"), noSecret.getMessage());
        // Reported together with the other missing keys.
        Map<String, Object> context = new HashMap<>(Map.of("postgresUrl", Synth.POSTGRES_URL));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromContext(context::get));
        assertTrue(both.getMessage().contains("databaseSecretArn") && both.getMessage().contains("imageTag"),
                both.getMessage());
    }

    @Test
    void usesAnExistingDatabaseWhenBothKeysAreGiven() {
        StackSettings settings = from(existing(Map.of()));
        assertTrue(settings.existingDatabase());
        assertEquals(Optional.of(Synth.SECRET_ARN), settings.databaseSecretArn());
        assertEquals(Optional.of(Synth.POSTGRES_URL), settings.postgresUrl());
    }

    @Test
    void acceptsStringsFromTheCommandLine() {
        StackSettings settings = from(Map.of(
                "natGateways", "2", "daxEnabled", "true", "maxTasks", "10",
                "availabilityZones", "eu-west-1b,eu-west-1c",
                "databaseMultiAz", "true", "databaseInstanceType", "r7g.large", "postgresSslMode", "require"));
        assertEquals(2, settings.natGateways());
        assertTrue(settings.daxEnabled());
        assertEquals(10, settings.maxTasks());
        assertEquals(List.of("eu-west-1b", "eu-west-1c"), settings.availabilityZones());
        assertTrue(settings.databaseMultiAz());
        assertEquals("r7g.large", settings.databaseInstanceType());
        assertEquals("require", settings.postgresSslMode());
        assertEquals(6543, from(existing(Map.of("postgresUrl", "postgresql://db.internal:6543/cruddur"))).postgresPort());
    }

    @Test
    void treatsAnEmptyOptionalValueAsUnset() {
        StackSettings settings = from(Map.of("certificateArn", "", "dynamodbPrefixListId", " "));
        assertEquals(Optional.empty(), settings.certificateArn());
        assertEquals(Optional.empty(), settings.dynamodbPrefixListId());
    }

    @Test
    void refusesAJdbcUrlOrOneWithoutADatabase() {
        assertTrue(refused(existing(Map.of("postgresUrl", "jdbc:postgresql://db:5432/cruddur"))).getMessage()
                .contains("jdbc"));
        refused(existing(Map.of("postgresUrl", "postgresql://db:5432/")));
    }

    @Test
    void refusesASecretArnWithoutItsSuffix() {
        // A partial ARN would need a wildcard in the execution role's policy.
        refused(existing(Map.of("databaseSecretArn",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cruddur/postgres")));
    }

    @Test
    void acceptsTheFourSslModesAndNothingElse() {
        for (String mode : List.of("disable", "require", "verify-ca", "verify-full")) {
            assertEquals(mode, from(Map.of("postgresSslMode", mode)).postgresSslMode());
        }
        for (String mode : List.of("prefer", "allow", "VERIFY-FULL", "verify_full", "true")) {
            assertTrue(refused(Map.of("postgresSslMode", mode)).getMessage().startsWith("postgresSslMode"), mode);
        }
    }

    @Test
    void refusesAMalformedDatabaseInstanceTypeOrFlag() {
        assertTrue(refused(Map.of("databaseInstanceType", "db.t4g.small")).getMessage().contains("db. prefix"));
        refused(Map.of("databaseInstanceType", "t4g"));
        refused(Map.of("databaseInstanceType", "T4G.MICRO"));
        refused(Map.of("databaseMultiAz", "yes"));
    }

    @Test
    void namesTheDatabaseAfterTheTableAsRdsAllows() {
        assertEquals("cruddur-messages-v2", from(Map.of("tableName", "Cruddur_Messages.v2")).databaseIdentifier());
        assertEquals("db-2024-chat", from(Map.of("tableName", "2024--chat")).databaseIdentifier());
        String longName = "m".repeat(62) + "-x";
        assertEquals("m".repeat(62), from(Map.of("tableName", longName)).databaseIdentifier());
    }

    @Test
    void refusesHalfAnExistingUserPool() {
        refused(existing(Map.of("userPoolId", Synth.EXISTING_POOL)));
        refused(existing(Map.of("userPoolClientId", Synth.EXISTING_CLIENT)));
    }

    @Test
    void takesAnExistingPoolOnlyWithItsApplicationsDatabase() {
        // Users come either from the main application (its pool, and its database where its sign-up
        // trigger writes their rows) or from the stack's own pool and database (its trigger writes
        // them): an existing pool with a new database would leave every caller at 403.
        Map<String, Object> pool = Map.of("userPoolId", Synth.EXISTING_POOL, "userPoolClientId", Synth.EXISTING_CLIENT);
        assertTrue(refused(pool).getMessage().startsWith("userPoolId: an existing pool's users"));
        assertTrue(from(existing(pool)).existingUserPool());
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
    void takesOneAlarmEmailAndNothingElse() {
        assertEquals(Optional.of("ops@cruddur.example"), from(Map.of("alarmEmail", "ops@cruddur.example")).alarmEmail());
        assertEquals(Optional.of("on-call+messages@ops.cruddur.example"),
                from(Map.of("alarmEmail", " on-call+messages@ops.cruddur.example ")).alarmEmail());
        for (String email : List.of("ops", "ops@localhost", "ops@cruddur.example,dev@cruddur.example",
                "ops@cruddur.example; dev@cruddur.example", "@cruddur.example", "ops@cruddur.")) {
            assertTrue(refused(Map.of("alarmEmail", email)).getMessage().startsWith("alarmEmail"), email);
        }
    }

    @Test
    void refusesADatabaseClassTooSmallForTheTasksOrUnknown() {
        IllegalArgumentException small = refused(Map.of("databaseInstanceType", "t4g.micro"));
        assertTrue(small.getMessage().contains("accepts about 79 connections") && small.getMessage().contains("need 142")
                && small.getMessage().contains("take t4g.small"), small.getMessage());
        // Three tasks fit a micro: 3 × 22 + 10 = 76.
        assertEquals("t4g.micro", from(Map.of("databaseInstanceType", "t4g.micro", "maxTasks", 3)).databaseInstanceType());
        assertEquals("t4g.micro", from(Map.of("maxTasks", 3)).databaseInstanceType(), "the default follows maxTasks");
        assertEquals("t4g.medium", from(Map.of("maxTasks", 12)).databaseInstanceType());
        assertTrue(refused(Map.of("databaseInstanceType", "x9z.large")).getMessage().contains("not a class"));
        // An existing database is sized where it is run.
        assertEquals("t4g.micro", from(existing(Map.of("databaseInstanceType", "t4g.micro"))).databaseInstanceType());
    }

    @Test
    void productionRefusesToSynthesizeWithoutItsPostureAndSetsIt() {
        IllegalArgumentException bare = refused(Map.of("production", "true"));
        for (String needed : List.of("certificateArn", "alarmEmail", "dynamodbPrefixListId")) {
            assertTrue(bare.getMessage().contains(needed), bare.getMessage());
        }
        Map<String, Object> posture = Map.of("production", "true", "certificateArn", Synth.CERTIFICATE_ARN,
                "alarmEmail", Synth.ALARM_EMAIL, "dynamodbPrefixListId", Synth.PREFIX_LIST);
        StackSettings production = from(posture);
        assertTrue(production.production());
        assertEquals(3, production.natGateways(), "a NAT gateway per zone");
        assertTrue(production.databaseMultiAz());
        assertEquals("t4g.small", production.databaseInstanceType());
        Map<String, Object> oneNat = new HashMap<>(posture);
        oneNat.put("natGateways", 1);
        assertTrue(refused(oneNat).getMessage().contains("a NAT gateway per zone"));
        Map<String, Object> singleAz = new HashMap<>(posture);
        singleAz.put("databaseMultiAz", false);
        assertTrue(refused(singleAz).getMessage().contains("databaseMultiAz=true"));
        // An existing database's standby is its owner's business.
        Map<String, Object> existingDatabase = new HashMap<>(posture);
        existingDatabase.putAll(Synth.existingDatabaseContext());
        existingDatabase.put("databaseMultiAz", false);
        assertTrue(from(existingDatabase).production());
    }

    @Test
    void refusesAFirewallRateBelowWafsLowest() {
        assertEquals(300, from(Map.of("firewallRateLimit", "300")).firewallRateLimit());
        assertTrue(refused(Map.of("firewallRateLimit", 5)).getMessage().startsWith("firewallRateLimit"));
    }

    @Test
    void refusesABadDaxNameOrFlag() {
        refused(Map.of("daxClusterName", "Cruddur_Messages"));
        refused(Map.of("daxEnabled", "yes"));
    }
}
