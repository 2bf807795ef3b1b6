package app.cruddur.infra;

import app.cruddur.infra.database.DatabaseClass;
import app.cruddur.infra.service.RateLimitSettings;
import app.cruddur.infra.service.RateLimitSettings.Limit;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stack's settings, read once from the CDK context (cdk.json, cdk.context.json, {@code -c key=value})
 * with defaults. Tests build them from a plain map with {@link #fromContext(Function)}.
 *
 * @param account                the AWS account to deploy to
 * @param region                 the region
 * @param availabilityZones      the zones the VPC spans (given, not looked up, so synthesis needs no AWS call)
 * @param tableName              the DynamoDB table's name
 * @param production             the production posture ({@code -c production=true}): refuses to synthesize without a
 *                               certificate, an alarm address and the DynamoDB prefix list, and takes a NAT gateway per
 *                               zone and a Multi-AZ database unless told otherwise (and refuses less)
 * @param natGateways            NAT gateways for the private subnets (1 saves cost; one per zone survives a zone outage;
 *                               default 1, or one per zone in production)
 * @param imageRepository        the ECR repository of the service's image
 * @param imageTag               the image tag to run (an immutable tag, e.g. the commit)
 * @param taskCpu                Fargate CPU units of a task
 * @param taskMemoryMiB          Fargate memory of a task
 * @param minTasks               fewest running tasks (at least two, in two zones)
 * @param maxTasks               most running tasks under load
 * @param databaseSecretArn      an existing database: complete ARN of the Secrets Manager secret with {@code username}
 *                               and {@code password} (given together with {@code postgresUrl}; without both the stack
 *                               creates the database)
 * @param postgresUrl            an existing database: {@code postgresql://HOST:PORT/DBNAME}, as the service reads it
 * @param databaseInstanceType   the created database's instance class, without {@code db.}; by default the smallest
 *                               that accepts {@link #databaseConnections()} ({@code t4g.small} for 6 tasks), and one that
 *                               does not is refused
 * @param databaseMultiAz        whether the created database has a standby in another zone (default false, true in production)
 * @param postgresSslMode        how the service checks the database's TLS: {@code disable}, {@code require},
 *                               {@code verify-ca} or {@code verify-full}
 * @param frontendOrigins        the CORS origins, comma-separated
 * @param userPoolId             an existing Cognito user pool to use instead of creating one
 * @param userPoolClientId       that pool's app client (given together with {@code userPoolId})
 * @param certificateArn         an ACM certificate for an HTTPS listener; without it the load balancer speaks HTTP
 * @param daxEnabled             whether to create the DAX cluster and read through it
 * @param daxNodeType            the DAX node type
 * @param daxClusterName         the DAX cluster's name
 * @param lambdaJarPath          the projection Lambda's shaded jar
 * @param signUpLambdaJarPath    the sign-up trigger's shaded jar (built with {@code -Prds-ca}: it carries Amazon RDS's CA bundle)
 * @param dynamodbPrefixListId   the region's DynamoDB prefix list ({@code pl-...}), to limit the Lambda's egress to it
 * @param alarmEmail             an address the alarm topic sends to (it must confirm the subscription); none by default
 * @param rateLimits             the service's rate limits ({@code rateLimitMessages}, {@code rateLimitConversations},
 *                               {@code rateLimitTickets}, {@code rateLimitProfileLookups}, {@code rateLimitBlocks}:
 *                               LIMIT/PERIOD/BURST)
 * @param configRules            whether to add the AWS Config rules, which fail the stack's creation in an account
 *                               without a configuration recorder (default false)
 * @param firewallRateLimit      requests to {@code /api/*} one client address may send in 5 minutes before the web
 *                               firewall blocks it (default {@value #DEFAULT_FIREWALL_RATE_LIMIT})
 * @param collectorImage         the image of the OpenTelemetry collector beside the service (AWS Distro)
 * @param tracesSampleRatio      the share of the traces beginning in the service that it keeps and sends to X-Ray,
 *                               0 to 1 ({@code tracesSampleRatio}, default {@value #DEFAULT_TRACES_SAMPLE_RATIO})
 */
public record StackSettings(
        String account,
        String region,
        boolean production,
        List<String> availabilityZones,
        String tableName,
        int natGateways,
        String imageRepository,
        String imageTag,
        int taskCpu,
        int taskMemoryMiB,
        int minTasks,
        int maxTasks,
        Optional<String> databaseSecretArn,
        Optional<String> postgresUrl,
        String databaseInstanceType,
        boolean databaseMultiAz,
        String postgresSslMode,
        String frontendOrigins,
        Optional<String> userPoolId,
        Optional<String> userPoolClientId,
        Optional<String> certificateArn,
        boolean daxEnabled,
        String daxNodeType,
        String daxClusterName,
        String lambdaJarPath,
        String signUpLambdaJarPath,
        Optional<String> dynamodbPrefixListId,
        Optional<String> alarmEmail,
        RateLimitSettings rateLimits,
        boolean configRules,
        int firewallRateLimit,
        String collectorImage,
        String tracesSampleRatio) {

    public static final String DEFAULT_TABLE_NAME = "cruddur-messages";
    public static final String DEFAULT_LAMBDA_JAR = "../target/cruddur-messages-1.0.0-SNAPSHOT-lambda.jar";
    public static final String DEFAULT_SIGN_UP_LAMBDA_JAR = "../target/cruddur-messages-1.0.0-SNAPSHOT-signup-lambda.jar";
    /**
     * Connections one task may hold: the service's reactive pool ({@code quarkus.datasource.reactive.max-size}) and
     * Flyway's JDBC pool ({@code quarkus.datasource.jdbc.max-size}); ServiceContractTest reads both.
     */
    public static final int CONNECTIONS_PER_TASK = 22;
    /** Connections beyond the tasks': the three RDS reserves for superusers, the password rotation, an operator's session. */
    public static final int CONNECTION_HEADROOM = 10;
    /**
     * Requests to the API per client address in 5 minutes: one a second on average with bursts, far above
     * what a person's client sends, so that the firewall stops floods while the service's own per-user
     * limits (which fail open without Valkey) keep the finer rules.
     */
    public static final int DEFAULT_FIREWALL_RATE_LIMIT = 1500;
    /** The share of traces kept: the service's own default (TRACES_SAMPLE_RATIO in application.properties). */
    public static final String DEFAULT_TRACES_SAMPLE_RATIO = "0.05";

    /** AWS Distro for OpenTelemetry's collector, a pinned release (public ECR, pulled through the NAT gateways). */
    public static final String DEFAULT_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.48.0";
    public static final String DEFAULT_POSTGRES_SSL_MODE = "verify-full";
    /** The libpq-style modes the service accepts in POSTGRES_SSL_MODE. */
    public static final List<String> POSTGRES_SSL_MODES = List.of("disable", "require", "verify-ca", "verify-full");
    /** The port of the database the stack creates (PostgreSQL's own). */
    public static final int CREATED_DATABASE_PORT = 5432;

    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+-[A-Za-z0-9]{6}");
    private static final Pattern DAX_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    /** One address, roughly: SNS checks it properly, this only catches a list or a typo early. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;.]+");

    public StackSettings {
        availabilityZones = List.copyOf(availabilityZones);
        if (availabilityZones.size() < 2 || availabilityZones.size() > 3) {
            throw new IllegalArgumentException("availabilityZones: give 2 or 3 zones, got " + availabilityZones);
        }
        if (natGateways < 1 || natGateways > availabilityZones.size()) {
            throw new IllegalArgumentException("natGateways: between 1 and the number of zones, got " + natGateways);
        }
        double ratio;
        try {
            ratio = Double.parseDouble(tracesSampleRatio);
        } catch (NumberFormatException e) {
            ratio = -1;
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("tracesSampleRatio: a share of the traces from 0 to 1, got " + tracesSampleRatio);
        }
        if (firewallRateLimit < 10 || firewallRateLimit > 2_000_000_000) {
            throw new IllegalArgumentException("firewallRateLimit: requests per address in 5 minutes, 10 at least (WAF's"
                    + " lowest), got " + firewallRateLimit);
        }
        if (minTasks < 2 || maxTasks < minTasks) {
            throw new IllegalArgumentException("minTasks must be at least 2 and maxTasks at least minTasks");
        }
        if (databaseSecretArn.isPresent() != postgresUrl.isPresent()) {
            throw new IllegalArgumentException("databaseSecretArn and postgresUrl go together (an existing database):"
                    + " give both, or neither to have the stack create the database");
        }
        databaseSecretArn.ifPresent(arn -> {
            if (!SECRET_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("databaseSecretArn: the secret's complete ARN (with its 6-character"
                        + " suffix), so the execution role can be granted exactly that secret; got " + arn);
            }
        });
        postgresUrl.ifPresent(StackSettings::postgresPort); // validates the form
        if (databaseInstanceType.startsWith("db.") || !INSTANCE_TYPE.matcher(databaseInstanceType).matches()) {
            throw new IllegalArgumentException("databaseInstanceType: an instance class without the db. prefix,"
                    + " such as t4g.small or m7g.large; got " + databaseInstanceType);
        }
        if (postgresUrl.isEmpty()) {
            int needed = maxTasks * CONNECTIONS_PER_TASK + CONNECTION_HEADROOM;
            DatabaseClass chosen = DatabaseClass.of(databaseInstanceType).orElseThrow(() -> new IllegalArgumentException(
                    "databaseInstanceType: " + databaseInstanceType + " is not a class whose connection limit the stack"
                            + " knows; one of " + String.join(", ", DatabaseClass.knownNames())));
            if (chosen.maxConnections() < needed) {
                throw new IllegalArgumentException("databaseInstanceType: " + databaseInstanceType + " accepts about "
                        + chosen.maxConnections() + " connections, and " + maxTasks + " tasks with " + CONNECTIONS_PER_TASK
                        + " each need " + needed + " with headroom: take " + DatabaseClass.smallestFor(needed).name()
                        + " or larger, or fewer maxTasks");
            }
        }
        if (production) {
            List<String> missing = new ArrayList<>();
            if (certificateArn.isEmpty()) {
                missing.add("certificateArn (HTTPS: bearer tokens must not cross the internet in clear)");
            }
            if (alarmEmail.isEmpty()) {
                missing.add("alarmEmail (alarms that notify nobody)");
            }
            if (dynamodbPrefixListId.isEmpty()) {
                missing.add("dynamodbPrefixListId (the Lambda's egress limited to DynamoDB)");
            }
            if (natGateways < availabilityZones.size()) {
                missing.add("a NAT gateway per zone (natGateways=" + availabilityZones.size() + ", not " + natGateways
                        + "): one zone's outage must not cut the others off");
            }
            if (postgresUrl.isEmpty() && !databaseMultiAz) {
                missing.add("databaseMultiAz=true (a standby in another zone)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("production=true needs " + String.join("; ", missing));
            }
        }
        if (!POSTGRES_SSL_MODES.contains(postgresSslMode)) {
            throw new IllegalArgumentException("postgresSslMode: one of " + String.join(", ", POSTGRES_SSL_MODES)
                    + "; got " + postgresSslMode);
        }
        if (userPoolId.isPresent() != userPoolClientId.isPresent()) {
            throw new IllegalArgumentException("userPoolId and userPoolClientId go together: give both or neither");
        }
        if (userPoolId.isPresent() && postgresUrl.isEmpty()) {
            // Nothing would write its users' rows: every caller would get 403 user_not_registered.
            throw new IllegalArgumentException("userPoolId: an existing pool's users get their rows in the database of the"
                    + " application the pool belongs to (its sign-up trigger writes them); give that database too"
                    + " (databaseSecretArn and postgresUrl), or let the stack create the pool, whose sign-up trigger"
                    + " writes the rows into the database it creates");
        }
        if (!DAX_NAME.matcher(daxClusterName).matches()) {
            throw new IllegalArgumentException("daxClusterName: up to 20 lowercase letters, digits and hyphens, got "
                    + daxClusterName);
        }
        alarmEmail.ifPresent(email -> {
            if (!EMAIL.matcher(email).matches()) {
                throw new IllegalArgumentException("alarmEmail: one email address, got " + email);
            }
        });
    }

    /** The connections the created database must accept: every task's pools at {@link #maxTasks}, and headroom. */
    public int databaseConnections() {
        return maxTasks * CONNECTIONS_PER_TASK + CONNECTION_HEADROOM;
    }

    /** The created database's class. */
    public DatabaseClass databaseClass() {
        return DatabaseClass.of(databaseInstanceType).orElseThrow();
    }

    /** Whether an existing database is used ({@code databaseSecretArn} and {@code postgresUrl}) instead of a new one. */
    public boolean existingDatabase() {
        return postgresUrl.isPresent();
    }

    /**
     * The database port: from {@link #postgresUrl} for an existing database (5432 when the URL names
     * none), {@link #CREATED_DATABASE_PORT} for the one the stack creates.
     */
    public int postgresPort() {
        return postgresUrl.map(StackSettings::postgresPort).orElse(CREATED_DATABASE_PORT);
    }

    /**
     * The identifier of the database the stack creates, from the table's name (lowercase letters,
     * digits and single hyphens, starting with a letter, at most 63 characters, as RDS requires):
     * {@code cruddur-messages} by default. A fixed identifier names the instance's log group in
     * advance, so the stack can create that group with a retention.
     */
    public String databaseIdentifier() {
        String id = tableName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (id.isEmpty() || !Character.isLetter(id.charAt(0))) {
            id = "db-" + id;
        }
        return id.length() <= 63 ? id : id.substring(0, 63).replaceAll("-+$", "");
    }

    /** Whether an existing Cognito user pool and client are used instead of new ones. */
    public boolean existingUserPool() {
        return userPoolId.isPresent();
    }

    private static int postgresPort(String url) {
        if (!url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("postgresUrl: postgresql://HOST:PORT/DBNAME (no jdbc: prefix), got " + url);
        }
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("postgresUrl: postgresql://HOST:PORT/DBNAME, got " + url);
        }
        return uri.getPort() == -1 ? 5432 : uri.getPort();
    }

    /**
     * Reads the settings from a context lookup ({@code app.getNode()::tryGetContext} in the app, a
     * map's {@code get} in tests). Values from {@code -c} arrive as strings, those from cdk.json as
     * JSON values; both are accepted. All missing required keys are reported at once.
     */
    public static StackSettings fromContext(Function<String, Object> context) {
        Reader in = new Reader(context);
        String region = in.string("region", null);
        String account = in.string("account", null);
        List<String> zones = in.optional("availabilityZones")
                .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(z -> !z.isEmpty()).toList())
                .orElseGet(() -> region == null ? List.of() : List.of(region + "a", region + "b", region + "c"));
        // An existing database is named by both keys; with neither the stack creates one.
        Optional<String> secretArn = in.optional("databaseSecretArn");
        Optional<String> postgresUrl = in.optional("postgresUrl");
        if (secretArn.isPresent() && postgresUrl.isEmpty()) {
            in.missing.add("postgresUrl (it goes with databaseSecretArn; give neither to create the database)");
        }
        if (postgresUrl.isPresent() && secretArn.isEmpty()) {
            in.missing.add("databaseSecretArn (it goes with postgresUrl; give neither to create the database)");
        }
        String origins = in.required("frontendOrigins");
        String imageTag = in.required("imageTag");
        if (account == null) {
            in.missing.add("account");
        }
        if (region == null) {
            in.missing.add("region");
        }
        if (!in.missing.isEmpty()) {
            throw new IllegalArgumentException("missing context: " + String.join(", ", in.missing)
                    + " (give them with -c key=value or in cdk.context.json; see infra/README.md)");
        }
        boolean production = in.bool("production", false);
        int maxTasks = in.integer("maxTasks", 6);
        return new StackSettings(
                account,
                region,
                production,
                zones,
                in.string("tableName", DEFAULT_TABLE_NAME),
                in.integer("natGateways", production ? zones.size() : 1),
                in.string("imageRepository", "cruddur-messages"),
                imageTag,
                in.integer("taskCpu", 1024),
                in.integer("taskMemoryMiB", 2048),
                in.integer("minTasks", 2),
                maxTasks,
                secretArn,
                postgresUrl,
                in.string("databaseInstanceType",
                        DatabaseClass.smallestFor(maxTasks * CONNECTIONS_PER_TASK + CONNECTION_HEADROOM).name()),
                in.bool("databaseMultiAz", production),
                in.string("postgresSslMode", DEFAULT_POSTGRES_SSL_MODE),
                origins,
                in.optional("userPoolId"),
                in.optional("userPoolClientId"),
                in.optional("certificateArn"),
                in.bool("daxEnabled", false),
                in.string("daxNodeType", "dax.t3.small"),
                in.string("daxClusterName", "cruddur-messages"),
                in.string("lambdaJarPath", DEFAULT_LAMBDA_JAR),
                in.string("signUpLambdaJarPath", DEFAULT_SIGN_UP_LAMBDA_JAR),
                in.optional("dynamodbPrefixListId"),
                in.optional("alarmEmail"),
                new RateLimitSettings(
                        Limit.parse("rateLimitMessages", in.string("rateLimitMessages", RateLimitSettings.MESSAGES)),
                        Limit.parse("rateLimitConversations", in.string("rateLimitConversations", RateLimitSettings.CONVERSATIONS)),
                        Limit.parse("rateLimitTickets", in.string("rateLimitTickets", RateLimitSettings.TICKETS)),
                        Limit.parse("rateLimitProfileLookups", in.string("rateLimitProfileLookups", RateLimitSettings.PROFILE_LOOKUPS)),
                        Limit.parse("rateLimitBlocks", in.string("rateLimitBlocks", RateLimitSettings.BLOCKS))),
                in.bool("configRules", false),
                in.integer("firewallRateLimit", DEFAULT_FIREWALL_RATE_LIMIT),
                in.string("collectorImage", DEFAULT_COLLECTOR_IMAGE),
                in.string("tracesSampleRatio", DEFAULT_TRACES_SAMPLE_RATIO));
    }

    /** Typed access to the context, collecting the names of missing required keys. */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> missing = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        Optional<String> optional(String key) {
            Object value = context.apply(key);
            if (value == null) {
                return Optional.empty();
            }
            String text = value.toString().trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }

        String string(String key, String fallback) {
            return optional(key).orElse(fallback);
        }

        String required(String key) {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                missing.add(key);
                return null;
            }
            return value.get();
        }

        int integer(String key, int fallback) {
            Object value = context.apply(key);
            if (value instanceof Number number) {
                return number.intValue();
            }
            return optional(key).map(s -> {
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": a whole number, got " + s, e);
                }
            }).orElse(fallback);
        }

        boolean bool(String key, boolean fallback) {
            Object value = context.apply(key);
            if (value instanceof Boolean flag) {
                return flag;
            }
            return optional(key).map(s -> switch (s.toLowerCase()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + ": true or false, got " + s);
            }).orElse(fallback);
        }
    }
}
