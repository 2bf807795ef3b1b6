package app.cruddur.infra.database;

import app.cruddur.infra.Nag;
import app.cruddur.infra.StackSettings;
import app.cruddur.infra.network.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.CaCertificate;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseInstanceProps;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.rds.DatabaseSecretProps;
import software.amazon.awscdk.services.rds.RotationMultiUserOptions;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.rds.IInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.ParameterGroupProps;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.StorageType;
import software.constructs.Construct;

/**
 * The service's PostgreSQL database, when no existing one is given: Amazon RDS for PostgreSQL 17
 * in the private subnets, reachable only from the service's security group, with TLS required,
 * its storage encrypted with a key of its own, and two logins in Secrets Manager, both rotated:
 * the master user, which only each task's init run uses (it migrates and makes sure the service's
 * login exists), and the service's own login ({@value #APPLICATION_USERNAME}, a member of the role
 * {@code cruddur_app} that holds what the service may do), rotated with alternating users so that
 * a running task's password keeps working until the rotation after next (docs/operations.md,
 * "PostgreSQL logins").
 */
public final class Database extends Construct implements PostgresDatabase {

    /** The newest PostgreSQL 17 release the CDK version in use knows. */
    public static final PostgresEngineVersion ENGINE_VERSION = PostgresEngineVersion.VER_17_9;
    public static final String DATABASE_NAME = "cruddur";
    public static final String USERNAME = "cruddur";
    /** The service's login; the rotation alternates it with {@code cruddur_service_clone}. */
    public static final String APPLICATION_USERNAME = "cruddur_service";
    /** The sign-up trigger's login (a member of {@code cruddur_signup}), rotated the same way. */
    public static final String SIGN_UP_USERNAME = "cruddur_signup_trigger";
    /**
     * Days between rotations of either password. With alternating users a task's login works until
     * the rotation after next changes it, so tasks are replaced more often than this
     * ({@code MessagesService.TASK_REPLACEMENT_DAYS}).
     */
    public static final int ROTATION_DAYS = 30;
    public static final int PORT = StackSettings.CREATED_DATABASE_PORT;
    public static final int ALLOCATED_GIB = 20;
    /** How far storage autoscaling may grow the volume. */
    public static final int MAX_ALLOCATED_GIB = 100;
    public static final int BACKUP_DAYS = 7;
    /**
     * Left out of the generated password: every ASCII punctuation character but {@code - . _}, so
     * the password needs no escaping in a URL ({@code : / ? # [ ] @ ! $ & ' ( ) * + , ; = %}),
     * a shell or JSON, and none of the characters RDS refuses ({@code / @ "} and space) can occur.
     */
    public static final String PASSWORD_EXCLUDED = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}~";

    private final DatabaseInstance instance;
    private final DatabaseSecret secret;
    private final ISecret applicationSecret;
    private final ISecret signUpSecret;
    private final SecurityGroup securityGroup;
    private final Key key;

    public Database(Construct scope, String id, IVpc vpc, StackSettings settings) {
        super(scope, id);
        String identifier = settings.databaseIdentifier();

        key = new Key(this, "Key", KeyProps.builder()
                .description("Encrypts the " + identifier + " PostgreSQL database, its snapshots and backups")
                .alias("alias/" + identifier + "-database")
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                // The final snapshot outlives the stack and is unreadable without this key; a failed
                // first creation (no snapshot yet) takes it away again.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());

        // The master credentials. The secret stays on Secrets Manager's own key (aws/secretsmanager):
        // a customer-managed key would need a kms:Decrypt grant for the ECS execution role as well.
        secret = new DatabaseSecret(this, "Secret", DatabaseSecretProps.builder()
                .username(USERNAME)
                .excludeCharacters(PASSWORD_EXCLUDED)
                .build());

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("PostgreSQL: port " + PORT + " from the service only")
                .allowAllOutbound(false)
                .build());

        IInstanceEngine engine = DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                .version(ENGINE_VERSION)
                .build());

        // TLS required: the server refuses unencrypted connections (the service verifies the
        // server's certificate against the RDS CA bundle in its image).
        ParameterGroup parameters = new ParameterGroup(this, "Parameters", ParameterGroupProps.builder()
                .engine(engine)
                .description("Cruddur Messages PostgreSQL: TLS required")
                .parameters(Map.of("rds.force_ssl", "1"))
                .build());

        // RDS exports to /aws/rds/instance/<identifier>/postgresql; created here first so that it
        // has a retention (RDS would create it without one).
        LogGroup logGroup = new LogGroup(this, "Logs", LogGroupProps.builder()
                .logGroupName("/aws/rds/instance/" + identifier + "/postgresql")
                .retention(RetentionDays.ONE_MONTH)
                // Its name is fixed: a retained group would collide with the retry of a failed first creation.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());

        instance = new DatabaseInstance(this, "Instance", DatabaseInstanceProps.builder()
                .instanceIdentifier(identifier)
                .engine(engine)
                .parameterGroup(parameters)
                // t4g.micro by default: a few connections per task and small rows; size up with
                // databaseInstanceType once the load is known.
                .instanceType(new InstanceType(settings.databaseInstanceType()))
                // Single-AZ by default (cost); databaseMultiAz=true for production.
                .multiAz(settings.databaseMultiAz())
                .allocatedStorage(ALLOCATED_GIB)
                .maxAllocatedStorage(MAX_ALLOCATED_GIB)
                .storageType(StorageType.GP3)
                .storageEncrypted(true)
                .storageEncryptionKey(key)
                .credentials(Credentials.fromSecret(secret, USERNAME))
                .databaseName(DATABASE_NAME)
                .port(PORT)
                .vpc(vpc)
                .vpcSubnets(Network.PRIVATE)
                .publiclyAccessible(false)
                .securityGroups(List.of(securityGroup))
                .caCertificate(CaCertificate.RDS_CA_RSA2048_G1)
                .iamAuthentication(false)
                .autoMinorVersionUpgrade(true)
                .backupRetention(Duration.days(BACKUP_DAYS))
                .deletionProtection(true)
                // Deleting the stack (or replacing the instance) leaves a final snapshot.
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .cloudwatchLogsExports(List.of("postgresql"))
                .build());
        // The instance alone (not its subnet group) waits for the log group.
        instance.getNode().getDefaultChild().getNode().addDependency(logGroup);

        Nag.suppress(instance, "AwsSolutions-RDS11", "The instance is reachable only inside the VPC (private subnets,"
                + " not publicly accessible) and its security group admits only the service's tasks: another port"
                + " would hide nothing from them, and PostgreSQL's own port is what every client expects");
        if (!settings.databaseMultiAz()) {
            Nag.suppress(instance, "AwsSolutions-RDS3", "Single-AZ keeps a trial deployment's cost down;"
                    + " production=true (or databaseMultiAz=true) adds the standby and drops this suppression");
        }

        // The master's password rotates in place: only a task's init run uses it, when the task starts.
        instance.addRotationSingleUser(RotationSingleUserOptions.builder()
                .automaticallyAfter(Duration.days(ROTATION_DAYS))
                .rotateImmediatelyOnUpdate(false)
                .build());
        // The service's login. Its first rotation signs in with it, so not before the first init run
        // made it (a rotation period after creation).
        applicationSecret = rotatedLogin("Application", APPLICATION_USERNAME);
        signUpSecret = rotatedLogin("SignUp", SIGN_UP_USERNAME);
    }

    /** A login's secret, rotated with alternating users (it signs in as the master to make the clone). */
    private ISecret rotatedLogin(String id, String username) {
        ISecret login = new DatabaseSecret(this, id + "Secret", DatabaseSecretProps.builder()
                .username(username)
                .masterSecret(secret)
                .excludeCharacters(PASSWORD_EXCLUDED)
                .build()).attach(instance);
        instance.addRotationMultiUser(id + "Rotation", RotationMultiUserOptions.builder()
                .secret(login)
                .automaticallyAfter(Duration.days(ROTATION_DAYS))
                .rotateImmediatelyOnUpdate(false)
                .build());
        return login;
    }

    /** {@code postgresql://<endpoint address>:<port>/cruddur}, from the instance's endpoint. */
    @Override
    public String url() {
        return "postgresql://" + instance.getDbInstanceEndpointAddress() + ":" + instance.getDbInstanceEndpointPort()
                + "/" + DATABASE_NAME;
    }

    /** The master user's secret: the init run's. */
    @Override
    public String secretArn() {
        return secret.getSecretArn();
    }

    @Override
    public Optional<String> applicationSecretArn() {
        return Optional.of(applicationSecret.getSecretArn());
    }

    @Override
    public Optional<String> signUpSecretArn() {
        return Optional.of(signUpSecret.getSecretArn());
    }

    /** Lets {@code clients} reach the database's port: egress there, ingress here, group to group. */
    @Override
    public void allowFrom(SecurityGroup clients) {
        clients.getConnections().allowTo(securityGroup, Port.tcp(PORT), "PostgreSQL");
    }

    public String endpointAddress() {
        return instance.getDbInstanceEndpointAddress();
    }

    public String keyArn() {
        return key.getKeyArn();
    }

    public DatabaseInstance instance() {
        return instance;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
