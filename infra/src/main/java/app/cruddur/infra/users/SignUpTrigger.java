package app.cruddur.infra.users;

import app.cruddur.infra.Access;
import app.cruddur.infra.JavaLambdas;
import app.cruddur.infra.Nag;
import app.cruddur.infra.database.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The user pool's post-confirmation trigger, when the stack brings its own pool: the service's
 * {@code SignUpLambdaHandler} writes a confirmed user's {@code users} row (handle, display name,
 * email, sub), without which the service answers every call of theirs with 403
 * {@code user_not_registered}. It signs in to the database as its own login (SELECT and INSERT on
 * {@code users}, the role {@code cruddur_signup}; with an existing database, the secret given), in
 * the private subnets, reaching the database's port and HTTPS (Secrets Manager) only.
 */
public final class SignUpTrigger extends Construct {

    public static final String HANDLER = "app.cruddur.messages.user.signup.SignUpLambdaHandler::handleRequest";
    /** Cognito waits 5 s for a trigger; the handler's own deadlines fit under it. */
    public static final int TIMEOUT_SECONDS = 5;
    /** A JVM's cold start is CPU-bound, and Lambda gives CPU in proportion to memory. */
    public static final int MEMORY_MB = 1024;
    /** Amazon RDS's CA bundle at the jar's root, against which the handler checks the database's certificate. */
    public static final String CA_ENTRY = "rds-ca.pem";

    private final Function function;
    private final Role role;
    private final SecurityGroup securityGroup;

    public SignUpTrigger(Construct scope, String id, IVpc vpc, PostgresDatabase database, String sslMode, String jarPath) {
        super(scope, id);
        requireCaBundle(jarPath);
        String secret = database.signUpSecretArn().orElse(database.secretArn());

        LogGroup logGroup = new LogGroup(this, "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .build());

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Sign-up trigger: the database port and HTTPS (Secrets Manager) only")
                .allowAllOutbound(false)
                .build());
        securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS: Secrets Manager");
        database.allowFrom(securityGroup);

        role = new Role(this, "Role", RoleProps.builder()
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Sign-up trigger of the user pool: writes the users row")
                .build());
        role.addToPolicy(Access.allow(Access.SECRET_READ_ACTIONS, secret));
        role.addToPolicy(Access.allow(Access.LOG_WRITE_ACTIONS, logGroup.getLogGroupArn()));
        role.addToPolicy(Access.allow(Access.LAMBDA_NETWORK_INTERFACE_ACTIONS, "*"));

        function = JavaLambdas.inPrivateSubnets(this, "Writes a confirmed user's users row (Cognito post-confirmation trigger)",
                HANDLER, jarPath, MEMORY_MB, TIMEOUT_SECONDS, role, logGroup, vpc, securityGroup, Map.of(
                        "POSTGRES_URL", database.url(),
                        "POSTGRES_SSL_MODE", sslMode,
                        "DATABASE_SECRET_ARN", secret), false);

        Nag.suppressWildcardResource(role, "Only the network-interface actions of a function in a VPC and X-Ray's"
                + " PutTraceSegments and PutTelemetryRecords (active tracing) are on *: the Describe actions and X-Ray's"
                + " have no resource type and Lambda creates the interfaces itself; the other"
                + " statements name the database's secret and the log group");
    }

    /**
     * Refuses a jar without Amazon RDS's CA bundle (built without {@code -Prds-ca}): the handler
     * verifies the database's certificate against it, and would fail every sign-up at its start.
     */
    static void requireCaBundle(String jarPath) {
        Path jar = Path.of(jarPath);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("signUpLambdaJarPath: no " + jar.toAbsolutePath().normalize()
                    + "; build it with ./mvnw -B package -DskipTests -Prds-ca");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry(CA_ENTRY) == null) {
                throw new IllegalArgumentException("signUpLambdaJarPath: " + jar.getFileName() + " holds no " + CA_ENTRY
                        + " (Amazon RDS's CA bundle); build it with ./mvnw -B package -DskipTests -Prds-ca");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    public Function function() {
        return function;
    }

    public Role role() {
        return role;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
