package app.cruddur.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The configurations the tests look at, each synthesized once per test run (test classes
 * share them): synthesis starts a jsii runtime and takes seconds, asserting takes milliseconds.
 * Each stack is checked with cdk-nag's AwsSolutions rules as the app checks it
 * ({@link InfraApp#checkAwsSolutions}); AwsSolutionsTest reads the results.
 *
 * <ul>
 *   <li>{@link #defaults()}: through {@link InfraApp#createStack} with cdk.json's context plus the
 *       required keys, as {@code cdk synth} would: a new database, DAX off, new Cognito pool, HTTP,
 *       no prefix list;</li>
 *   <li>{@link #full()}: everything switched on or given: DAX, an existing database (with
 *       {@code postgresSslMode=verify-ca}), an existing Cognito pool, an HTTPS certificate, the
 *       DynamoDB prefix list, three NAT gateways, eight tasks at most, an address for the alarms;</li>
 *   <li>{@link #twoZones()}: DAX on in a two-zone VPC with two NAT gateways, and a new Multi-AZ
 *       database on {@code m7g.large};</li>
 *   <li>{@link #production()}: {@code production=true} with what it requires (a certificate, an
 *       alarm address, the prefix list) and nothing else set, so that its own choices show: a NAT
 *       gateway per zone, a Multi-AZ database; and the AWS Config rules.</li>
 * </ul>
 */
final class Synth {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cruddur/postgres-AbCdEf";
    static final String POSTGRES_URL = "postgresql://db.example.internal:5432/cruddur";
    static final String ORIGINS = "https://cruddur.example,https://www.cruddur.example";
    static final String IMAGE_TAG = "3f2c1a9";
    static final String CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
    static final String EXISTING_POOL = "eu-west-1_AbCdEfGhI";
    static final String EXISTING_CLIENT = "1example23456789abcdefghij";
    static final String PREFIX_LIST = "pl-6fa54006";
    static final String ALARM_EMAIL = "on-call@cruddur.example";

    private static MessagesStack defaultsStack;
    private static MessagesStack fullStack;
    private static MessagesStack twoZonesStack;
    private static MessagesStack productionStack;
    private static Template production;
    private static Template defaults;
    private static Template full;
    private static Template twoZones;
    private static Template ownPool;
    private static Path jar;

    private Synth() {
    }

    /** The context from cdk.json, as the CLI passes it to the app. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            return new HashMap<>((Map<String, Object>) cdkJson.get("context"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys without a default, as a deployment would give them with -c. */
    static Map<String, Object> requiredContext() {
        Map<String, Object> context = new HashMap<>();
        context.put("account", ACCOUNT);
        context.put("region", REGION);
        context.put("imageTag", IMAGE_TAG);
        context.put("frontendOrigins", ORIGINS);
        context.put("lambdaJarPath", fakeJar().toString());
        context.put("signUpLambdaJarPath", fakeSignUpJar().toString());
        return context;
    }

    /** The two keys that name an existing database instead of having the stack create one. */
    static Map<String, Object> existingDatabaseContext() {
        return Map.of("databaseSecretArn", SECRET_ARN, "postgresUrl", POSTGRES_URL);
    }

    static synchronized Template defaults() {
        if (defaults == null) {
            Map<String, Object> context = cdkJsonContext();
            context.putAll(requiredContext());
            App app = new App(AppProps.builder().context(context).outdir(outdir("defaults")).build());
            defaultsStack = InfraApp.createStack(app);
            defaults = Template.fromStack(defaultsStack);
        }
        return defaults;
    }

    static synchronized Template full() {
        if (full == null) {
            Map<String, Object> context = cdkJsonContext();
            context.putAll(requiredContext());
            context.putAll(existingDatabaseContext());
            context.put("postgresSslMode", "verify-ca");
            context.put("daxEnabled", "true");
            context.put("userPoolId", EXISTING_POOL);
            context.put("userPoolClientId", EXISTING_CLIENT);
            context.put("certificateArn", CERTIFICATE_ARN);
            context.put("dynamodbPrefixListId", PREFIX_LIST);
            context.put("natGateways", "3");
            context.put("maxTasks", "8");
            context.put("alarmEmail", ALARM_EMAIL);
            context.put("rateLimitMessages", "120/1m/20");
            StackSettings settings = StackSettings.fromContext(context::get);
            fullStack = new MessagesStack(app("full"), "Full", settings);
            InfraApp.checkAwsSolutions(fullStack);
            full = Template.fromStack(fullStack);
        }
        return full;
    }

    static synchronized Template twoZones() {
        if (twoZones == null) {
            Map<String, Object> context = cdkJsonContext();
            context.putAll(requiredContext());
            context.put("daxEnabled", true);
            context.put("availabilityZones", "eu-west-1a, eu-west-1b");
            context.put("natGateways", 2);
            context.put("databaseMultiAz", true);
            context.put("databaseInstanceType", "m7g.large");
            StackSettings settings = StackSettings.fromContext(context::get);
            twoZonesStack = new MessagesStack(app("two-zones"), "TwoZones", settings);
            InfraApp.checkAwsSolutions(twoZonesStack);
            twoZones = Template.fromStack(twoZonesStack);
        }
        return twoZones;
    }

    static synchronized Template production() {
        if (production == null) {
            Map<String, Object> context = cdkJsonContext();
            context.putAll(requiredContext());
            context.putAll(productionContext());
            context.put("configRules", "true");
            StackSettings settings = StackSettings.fromContext(context::get);
            productionStack = new MessagesStack(app("production"), "Production", settings);
            InfraApp.checkAwsSolutions(productionStack);
            production = Template.fromStack(productionStack);
        }
        return production;
    }

    /**
     * The stack's own Cognito pool with an existing database: the sign-up trigger then writes the
     * users rows with the database's given secret.
     */
    static synchronized Template ownPoolExistingDatabase() {
        if (ownPool == null) {
            Map<String, Object> context = cdkJsonContext();
            context.putAll(requiredContext());
            context.putAll(existingDatabaseContext());
            StackSettings settings = StackSettings.fromContext(context::get);
            ownPool = Template.fromStack(new MessagesStack(app("own-pool"), "OwnPool", settings));
        }
        return ownPool;
    }

    /** {@code production=true} and the three keys it requires. */
    static Map<String, Object> productionContext() {
        return Map.of("production", "true", "certificateArn", CERTIFICATE_ARN, "alarmEmail", ALARM_EMAIL,
                "dynamodbPrefixListId", PREFIX_LIST);
    }

    static synchronized MessagesStack productionStack() {
        production();
        return productionStack;
    }

    /** The stack behind {@link #defaults()}, synthesized (for its annotations and its assembly directory). */
    static synchronized MessagesStack defaultsStack() {
        defaults();
        return defaultsStack;
    }

    static synchronized MessagesStack fullStack() {
        full();
        return fullStack;
    }

    static synchronized MessagesStack twoZonesStack() {
        twoZones();
        return twoZonesStack;
    }

    /** An app writing its assembly under target/ rather than a new temporary directory per run. */
    private static App app(String name) {
        return new App(AppProps.builder().outdir(outdir(name)).build());
    }

    private static String outdir(String name) {
        return Path.of("target", "cdk-test", name).toString();
    }

    private static Path signUpJar;

    /** A stand-in for the sign-up trigger's jar, with the CA bundle the stack requires in it. */
    static synchronized Path fakeSignUpJar() {
        if (signUpJar == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "cdk-test"));
                signUpJar = dir.resolve("signup-lambda.jar").toAbsolutePath();
                try (var zip = new ZipOutputStream(Files.newOutputStream(signUpJar))) {
                    zip.putNextEntry(new ZipEntry("rds-ca.pem"));
                    zip.write("-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return signUpJar;
    }

    /** A stand-in for the Lambda's jar: the tests must not need the service built. */
    static synchronized Path fakeJar() {
        if (jar == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "cdk-test"));
                jar = dir.resolve("projection-lambda.jar").toAbsolutePath();
                Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jar;
    }
}
