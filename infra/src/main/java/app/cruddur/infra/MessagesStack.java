package app.cruddur.infra;

import app.cruddur.infra.audit.Audit;
import app.cruddur.infra.audit.TrailWatch;
import app.cruddur.infra.firewall.Firewall;
import app.cruddur.infra.keys.MessageKeys;
import app.cruddur.infra.database.Database;
import app.cruddur.infra.database.ExistingDatabase;
import app.cruddur.infra.database.PostgresDatabase;
import app.cruddur.infra.dax.Dax;
import app.cruddur.infra.events.EventCache;
import app.cruddur.infra.logs.LogBucket;
import app.cruddur.infra.monitoring.Alarms;
import app.cruddur.infra.monitoring.ServiceDashboard;
import app.cruddur.infra.network.Network;
import app.cruddur.infra.projection.StreamProjector;
import app.cruddur.infra.service.MessagesService;
import app.cruddur.infra.table.MessagesTable;
import app.cruddur.infra.users.SignUpTrigger;
import app.cruddur.infra.users.Users;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Validations;
import software.constructs.Construct;

/**
 * Cruddur Messages on AWS: the table, the keys of its texts, the VPC, the PostgreSQL database (unless an existing one is
 * given), the service on Fargate behind a web firewall, the stream projection Lambda, optionally DAX,
 * the event cache (Valkey) of the event streams, the Cognito users, the audit trail of the table and
 * what watches it, and the operational alarms.
 */
public final class MessagesStack extends Stack {

    private final List<String> zones;

    public MessagesStack(Construct scope, String id, StackSettings settings) {
        super(scope, id, StackProps.builder()
                .env(Environment.builder().account(settings.account()).region(settings.region()).build())
                .description("Cruddur Messages: direct messages on DynamoDB, served from ECS/Fargate")
                .build());
        this.zones = settings.availabilityZones();
        Tags.of(this).add("app", "cruddur-messages");
        Validations.of(this).acknowledge(Acknowledgment.builder()
                .id("CloudFormation-Validate::W3010")
                .reason("The zones are named in the settings on purpose: synthesis makes no lookups")
                .build());

        MessagesTable table = new MessagesTable(this, "Messages", settings.tableName());

        MessageKeys keys = new MessageKeys(this, "Keys", settings.tableName(), table);

        Network network = new Network(this, "Network", zones.size(), settings.natGateways());
        network.limitDynamoDbEndpointTo(table.tableArn(), table.groupIndexArn(), keys.tableArn());

        Users users = new Users(this, "Users", settings);

        Optional<Database> createdDatabase = settings.existingDatabase()
                ? Optional.empty()
                : Optional.of(new Database(this, "Database", network.vpc(), settings));
        PostgresDatabase database = createdDatabase.isPresent()
                ? createdDatabase.get()
                : ExistingDatabase.of(settings);

        // Users come from the main application (its pool and database) or from the stack's own pool,
        // whose trigger writes each confirmed user's row (StackSettings refuses a pool without either).
        Optional<SignUpTrigger> signUp = settings.existingUserPool()
                ? Optional.empty()
                : Optional.of(new SignUpTrigger(this, "SignUp", network.vpc(), database, settings.postgresSslMode(),
                        settings.signUpLambdaJarPath()));
        signUp.ifPresent(trigger -> users.writeRowsWith(trigger.function()));

        Optional<Dax> dax = settings.daxEnabled()
                ? Optional.of(new Dax(this, "Dax", network.vpc(), table, settings.daxClusterName(),
                        settings.daxNodeType()))
                : Optional.empty();

        EventCache events = new EventCache(this, "Events", network.vpc(), Alarms.namePrefix(settings.tableName()));

        MessagesService service = new MessagesService(this, "Service", settings, network.vpc(), table, users,
                database, dax, events, keys);

        StreamProjector projector = new StreamProjector(this, "Projection", network.vpc(), table,
                settings.lambdaJarPath(), settings.dynamodbPrefixListId(), events, Alarms.namePrefix(settings.tableName()));

        Audit audit = new Audit(this, "Audit", table, Alarms.namePrefix(settings.tableName()), settings.configRules());

        LogBucket logs = new LogBucket(this, "Logs");
        logs.recordRequestsTo(service.loadBalancer());
        logs.recordFlowsOf(network.vpc());
        logs.recordAccessTo(audit.bucket(), LogBucket.TRAIL_BUCKET_PREFIX, "TrailBucketAccessLogs");
        logs.recordAccessTo(projector.failureBucket(), LogBucket.PROJECTION_FAILURES_PREFIX, "ProjectionFailuresAccessLogs");

        String prefix = Alarms.namePrefix(settings.tableName());
        Firewall firewall = new Firewall(this, "Firewall", prefix, service.loadBalancer(), settings.firewallRateLimit());

        Alarms alarms = new Alarms(this, "Alarms", settings, table, projector, service, createdDatabase, dax, events,
                firewall, signUp);
        service.rollBackOn(alarms.deploymentAlarms());
        new ServiceDashboard(this, "Dashboard", prefix, service, projector);

        TrailWatch watch = new TrailWatch(this, "TrailWatch", prefix, table, keys.keyArn(), alarms.topic(), audit.configRuleNames());
        alarms.admitEventRules(watch.rulePrefix());

        output("LoadBalancerDnsName", service.loadBalancer().getLoadBalancerDnsName(),
                "DNS name of the service's load balancer");
        output("TableName", table.tableName(), "The messages table");
        output("KeyTableName", keys.tableName(), "The key table: the wrapping key and each conversation's key");
        output("TextsKeyArn", keys.keyArn(), "The KMS key that wraps the keys of the message texts (MESSAGES_KMS_KEY_ID)");
        output("TableStreamArn", table.streamArn(), "The table's stream (read by the projection Lambda)");
        output("UserPoolId", users.userPoolId(), "Cognito user pool (COGNITO_USER_POOL_ID)");
        output("UserPoolClientId", users.userPoolClientId(), "Cognito app client (COGNITO_APP_CLIENT_ID)");
        output("ProjectionFailureQueueUrl", projector.failureQueue().getQueueUrl(),
                "A message for each failed batch of the projection stored in the failure bucket (to replay)");
        output("ProjectionFailureBucketName", projector.failureBucket().getBucketName(),
                "The projection's failed batches with their records (bin/ddb/replay-projection)");
        output("EventCacheEndpoint", events.endpoint(), "The event cache (Valkey) the tasks publish and subscribe on (REDIS_ENDPOINT)");
        output("AlarmTopicArn", alarms.topic().getTopicArn(), "The topic the alarms notify (subscribe to it)");
        dax.ifPresent(d -> output("DaxEndpoint", d.discoveryEndpointUrl(), "DAX discovery endpoint (DAX_ENDPOINT)"));
        createdDatabase.ifPresent(d -> {
            output("DatabaseEndpoint", d.endpointAddress(), "The PostgreSQL instance's address (in POSTGRES_URL)");
            output("DatabaseSecretArn", d.secretArn(), "The database's master credentials (POSTGRES_USER, POSTGRES_PASSWORD)");
            output("DatabaseKeyArn", d.keyArn(), "The key of the database's storage and snapshots (needed to restore one)");
        });
    }

    /**
     * The zones come from the settings instead of a context lookup, so synthesis needs no AWS
     * credentials and always gives the same template.
     */
    @Override
    public List<String> getAvailabilityZones() {
        return zones;
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }
}
