package app.cruddur.infra.service;

import app.cruddur.infra.Access;
import app.cruddur.infra.Nag;
import app.cruddur.infra.StackSettings;
import app.cruddur.infra.dax.Dax;
import app.cruddur.infra.database.PostgresDatabase;
import app.cruddur.infra.events.EventCache;
import app.cruddur.infra.keys.MessageKeys;
import app.cruddur.infra.network.Network;
import app.cruddur.infra.table.MessagesTable;
import app.cruddur.infra.users.Users;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.Stats;
import software.amazon.awscdk.services.ecs.AlarmBehavior;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.DeploymentAlarmOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterProps;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerDependency;
import software.amazon.awscdk.services.ecs.ContainerDependencyCondition;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateServiceProps;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateTaskDefinitionProps;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LoadBalancerTargetOptions;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.TrackCustomMetricProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.scheduler.CfnScheduleProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The service on ECS/Fargate behind an Application Load Balancer: tasks in the private subnets,
 * the load balancer in the public ones, HTTPS when a certificate is given (HTTP otherwise).
 */
public final class MessagesService extends Construct {

    public static final String CONTAINER_NAME = "messages";
    /** The API's port: what the load balancer forwards {@link #API_PATH_PATTERN} to. */
    public static final int CONTAINER_PORT = 8080;
    /**
     * Quarkus' management interface ({@code quarkus.management.enabled=true}, plain HTTP): health
     * and metrics, kept off the API's port so the load balancer never forwards them. Only the
     * load balancer's health checks reach it (and the container's own check, from inside).
     */
    public static final int MANAGEMENT_PORT = 9000;
    /** Readiness (DynamoDB table and PostgreSQL reachable), on the management port: what the load balancer routes on. */
    public static final String READINESS_PATH = "/q/health/ready";
    /**
     * Liveness, on the management port: what the container health check restarts on (a dependency
     * outage must not restart tasks).
     */
    public static final String LIVENESS_PATH = "/q/health/live";
    /** The only requests the load balancer forwards to the tasks; anything else gets {@link #NOT_FOUND_BODY}. */
    public static final String API_PATH_PATTERN = "/api/*";
    /**
     * The load balancer's own answer to a path outside the API, shaped like the service's problems.
     * Sent as {@code application/json}: a fixed response may only be text/plain, text/css,
     * text/html, application/javascript or application/json, so not application/problem+json.
     */
    public static final String NOT_FOUND_BODY =
            "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"code\":\"not_found\"}";
    public static final String NOT_FOUND_CONTENT_TYPE = "application/json";
    /** The priority of the listener rule that forwards the API (the only rule). */
    public static final int API_RULE_PRIORITY = 10;
    public static final int CPU_TARGET_PERCENT = 60;
    /** Requests per task per minute before scaling out (the reactive service handles far more; this keeps headroom). */
    public static final int REQUESTS_PER_TASK_PER_MINUTE = 1000;
    /**
     * Amazon RDS's global CA bundle in the service's image, against which it verifies the
     * database's certificate (POSTGRES_CA_FILE). The image carries it; the path is part of its contract.
     */
    public static final String POSTGRES_CA_FILE = "/deployments/rds-ca.pem";
    /**
     * The load balancer closes a connection silent for this long. An event stream writes a
     * heartbeat every 15 s, so only a dead one is ever this silent.
     */
    public static final int IDLE_TIMEOUT_SECONDS = 120;
    /**
     * How long a task being replaced keeps its open connections. REST calls end within about 3 s
     * (the service's deadlines); event streams do not end by themselves, so a longer delay would
     * only slow every deployment down: they are closed after this and their clients resume on
     * another task with Last-Event-ID, losing nothing.
     */
    public static final int DEREGISTRATION_DELAY_SECONDS = 10;
    /** The init run before the service in each task (when the database has a login for the service). */
    public static final String INIT_NAME = "init";
    /**
     * Every task is replaced this often when the service's database login rotates: a task reads its
     * password when it starts, and with alternating users it works until the rotation after next.
     */
    public static final int TASK_REPLACEMENT_DAYS = 7;
    /** The collector beside the service, which sends the metrics scaling sees to CloudWatch (docker/otel-collector.yaml). */
    public static final String COLLECTOR_NAME = "otel-collector";
    /** Its configuration in the repository (cdk runs in infra/). */
    public static final String COLLECTOR_CONFIG_FILE = "../docker/otel-collector.yaml";
    /** The service's gauge of its open event streams (events/MessageEvents), as the collector names it. */
    public static final String OPEN_STREAMS_METRIC = "cruddur_events_streams_open";
    /** The namespace the collector writes it to, with the dimension {@code service}. */
    public static final String METRIC_NAMESPACE = "CruddurMessages";
    public static final String METRIC_SERVICE = "cruddur-messages";
    /**
     * Open event streams per task that scaling aims at: a task holds 10,000 in its heap
     * (docs/benchmarks.md), and a replaced or failed task's streams reconnect to the others.
     */
    public static final int OPEN_STREAMS_PER_TASK = 4000;

    private final FargateService service;
    private final SecurityGroup securityGroup;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup targetGroup;
    private final Role taskRole;
    private final Role executionRole;
    private final LogGroup logGroup;
    private final LogGroup metricsLogGroup;

    public MessagesService(Construct scope, String id, StackSettings settings, IVpc vpc, MessagesTable table,
                           Users users, PostgresDatabase database, Optional<Dax> dax, EventCache events, MessageKeys keys) {
        super(scope, id);
        String region = Stack.of(this).getRegion();

        Cluster cluster = new Cluster(this, "Cluster", ClusterProps.builder()
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build());

        logGroup = new LogGroup(this, "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .build());

        // What the running service may do: the table calls it makes, the key through DynamoDB and,
        // with DAX, its reads through the cluster.
        taskRole = new Role(this, "TaskRole", RoleProps.builder()
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Cruddur Messages service tasks")
                .build());
        taskRole.addToPolicy(Access.allow(Access.SERVICE_TABLE_ACTIONS, table.tableArn()));
        taskRole.addToPolicy(Access.allow(Access.SERVICE_INDEX_ACTIONS, table.groupIndexArn()));
        taskRole.addToPolicy(Access.tableKey(table.key().getKeyArn(), region));
        dax.ifPresent(d -> taskRole.addToPolicy(Access.allow(Access.SERVICE_DAX_ACTIONS, d.clusterArn())));
        // The keys of the texts: the key table, and the KMS key that wraps them (docs/security.md).
        keys.grantUse(taskRole);

        // The collector's metrics (EMF): CloudWatch takes them out of this group's log events.
        metricsLogGroup = new LogGroup(this, "MetricsLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_WEEK)
                .build());
        taskRole.addToPolicy(Access.allow(Access.METRICS_LOG_ACTIONS, metricsLogGroup.getLogGroupArn()));
        // The collector's traces: the service's spans, sent on to X-Ray.
        taskRole.addToPolicy(Access.allow(Access.TRACE_WRITE_ACTIONS, "*"));
        Nag.suppressWildcardResource(taskRole, "Only xray:PutTraceSegments and xray:PutTelemetryRecords are on *:"
                + " X-Ray's actions have no resource type");

        // What ECS itself needs to start a task: pull the image, write the logs, read the
        // database secret. The grants below come from the image, log driver and secrets.
        executionRole = new Role(this, "ExecutionRole", RoleProps.builder()
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS agent for the Cruddur Messages tasks")
                .build());

        // 1 vCPU / 2 GB: a JVM (Quarkus in JVM mode) starts in seconds with a full vCPU and the
        // event loops get a core; 2 GB leaves the heap room for the caches plus the JVM's own
        // memory. Tune with taskCpu / taskMemoryMiB after measuring.
        FargateTaskDefinition taskDefinition = new FargateTaskDefinition(this, "Task",
                FargateTaskDefinitionProps.builder()
                        .cpu(settings.taskCpu())
                        .memoryLimitMiB(settings.taskMemoryMiB())
                        .runtimePlatform(RuntimePlatform.builder()
                                .operatingSystemFamily(OperatingSystemFamily.LINUX)
                                .cpuArchitecture(CpuArchitecture.X86_64)
                                .build())
                        .taskRole(taskRole)
                        .executionRole(executionRole)
                        .build());

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", region);
        environment.put("DYNAMODB_TABLE_NAME", table.tableName());
        environment.put("MESSAGES_KEY_TABLE_NAME", keys.tableName());
        environment.put("MESSAGES_KMS_KEY_ID", keys.keyArn());
        // The name each text's ciphertext is bound to: the configured one, which a restore under another name keeps.
        environment.put("MESSAGES_TABLE_CONTEXT", settings.tableName());
        environment.put("COGNITO_USER_POOL_ID", users.userPoolId());
        environment.put("COGNITO_APP_CLIENT_ID", users.userPoolClientId());
        environment.put("POSTGRES_URL", database.url());
        environment.put("POSTGRES_SSL_MODE", settings.postgresSslMode());
        environment.put("POSTGRES_CA_FILE", POSTGRES_CA_FILE);
        environment.put("FRONTEND_ORIGINS", settings.frontendOrigins());
        dax.ifPresent(d -> environment.put("DAX_ENDPOINT", d.discoveryEndpointUrl()));
        environment.put("REDIS_ENDPOINT", events.endpoint());
        environment.put("REDIS_USER", EventCache.USER_NAME);
        environment.putAll(settings.rateLimits().environment());
        // The share of traces kept (those a caller samples are kept too); the collector sends them to X-Ray.
        environment.put("TRACES_SAMPLE_RATIO", settings.tracesSampleRatio());

        // With a login of its own, the service signs in as it and migrates nothing; the init run
        // below does that as the master user. An existing database's secret is used as it is.
        String serviceSecret = database.applicationSecretArn().orElse(database.secretArn());
        Map<String, Secret> secrets = new LinkedHashMap<>();
        secrets.put("POSTGRES_USER", new SecretField(serviceSecret, "username"));
        secrets.put("POSTGRES_PASSWORD", new SecretField(serviceSecret, "password"));
        secrets.put("REDIS_PASSWORD", SecretField.whole(events.secretArn()));
        Map<String, String> serviceEnvironment = new LinkedHashMap<>(environment);
        database.applicationSecretArn().ifPresent(login -> serviceEnvironment.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false"));

        ContainerImage image = ContainerImage.fromEcrRepository(
                Repository.fromRepositoryName(this, "Repository", settings.imageRepository()), settings.imageTag());
        ContainerDefinition serviceContainer = taskDefinition.addContainer(CONTAINER_NAME, ContainerDefinitionOptions.builder()
                .image(image)
                // The API first: it is the container's default port (the load balancer target names it anyway).
                .portMappings(List.of(
                        PortMapping.builder().containerPort(CONTAINER_PORT).build(),
                        PortMapping.builder().containerPort(MANAGEMENT_PORT).build()))
                // The image's own command, written out: the JVM options of docker/jvm.options.
                .command(javaCommand())
                .environment(serviceEnvironment)
                .secrets(secrets)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logGroup)
                        .streamPrefix(CONTAINER_NAME)
                        .build()))
                // Needs curl in the image (the UBI-based Java images have it).
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fsS http://localhost:" + MANAGEMENT_PORT
                                + LIVENESS_PATH + " || exit 1"))
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(60))
                        .build())
                .essential(true)
                .build());

        database.applicationSecretArn().ifPresent(login -> {
            // The init run: the same image and configuration, which migrates as the master user, makes
            // sure the service's login exists and exits; the service starts only once it succeeded.
            Map<String, String> initEnvironment = new LinkedHashMap<>(environment);
            initEnvironment.put("QUARKUS_INIT_AND_EXIT", "true");
            Map<String, Secret> initSecrets = new LinkedHashMap<>();
            initSecrets.put("POSTGRES_USER", new SecretField(database.secretArn(), "username"));
            initSecrets.put("POSTGRES_PASSWORD", new SecretField(database.secretArn(), "password"));
            initSecrets.put("POSTGRES_APP_USER", new SecretField(login, "username"));
            initSecrets.put("POSTGRES_APP_PASSWORD", new SecretField(login, "password"));
            database.signUpSecretArn().ifPresent(signUp -> {
                initSecrets.put("POSTGRES_SIGNUP_USER", new SecretField(signUp, "username"));
                initSecrets.put("POSTGRES_SIGNUP_PASSWORD", new SecretField(signUp, "password"));
            });
            initSecrets.put("REDIS_PASSWORD", SecretField.whole(events.secretArn()));
            ContainerDefinition init = taskDefinition.addContainer(INIT_NAME, ContainerDefinitionOptions.builder()
                    .image(image)
                    .command(javaCommand())
                    .environment(initEnvironment)
                    .secrets(initSecrets)
                    .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                            .logGroup(logGroup)
                            .streamPrefix(INIT_NAME)
                            .build()))
                    .essential(false)
                    .build());
            serviceContainer.addContainerDependencies(ContainerDependency.builder()
                    .container(init)
                    .condition(ContainerDependencyCondition.SUCCESS)
                    .build());
        });

        // Not essential: without it the service serves on and only its scaling metric pauses.
        taskDefinition.addContainer(COLLECTOR_NAME, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(settings.collectorImage()))
                .environment(Map.of(
                        "AOT_CONFIG_CONTENT", collectorConfig(),
                        "METRICS_LOG_GROUP", metricsLogGroup.getLogGroupName()))
                .memoryReservationMiB(64)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logGroup)
                        .streamPrefix(COLLECTOR_NAME)
                        .build()))
                .essential(false)
                .build());

        // ${env:...} in the collector's configuration is the collector's own syntax, expanded when it starts.
        Validations.of(taskDefinition).acknowledge(Acknowledgment.builder()
                .id("CloudFormation-Validate::E1029")
                .reason("AOT_CONFIG_CONTENT is the collector's configuration: its ${env:METRICS_LOG_GROUP} is"
                        + " expanded by the collector from its own environment, not by CloudFormation")
                .build());

        // The container's grants (image, logs, secrets) are in the execution role's policy by now.
        Nag.suppressWildcardResource(executionRole, "Only ecr:GetAuthorizationToken is on *: it has no resource"
                + " type (the token is for the whole registry); the image pull is limited to the one repository,"
                + " the logs to the service's log group, the secrets to the database's and the event cache's");
        Nag.suppress(taskDefinition, "AwsSolutions-ECS2", "The environment is configuration only (region, table,"
                + " user pool and client ids, the database URL without credentials, TLS mode, CA path, CORS origins,"
                + " DAX endpoint, the event cache's endpoint and user name, the rate limits); the database credentials and the"
                + " event cache's password come from Secrets Manager as secrets");

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Cruddur Messages tasks")
                .allowAllOutbound(false)
                .build());
        // HTTPS: DynamoDB (gateway endpoint), Cognito's JWKS, and for ECS itself ECR, CloudWatch
        // Logs and Secrets Manager (through NAT).
        securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS: AWS APIs and Cognito JWKS");
        // The database port: to the database's security group when the stack creates it, to any
        // address for an existing database (its address is outside the stack).
        database.allowFrom(securityGroup);
        dax.ifPresent(d -> d.allowFrom(securityGroup));
        events.allowFrom(securityGroup, "the service's tasks");

        service = new FargateService(this, "Service", FargateServiceProps.builder()
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                // No desired count: scaling owns it (minTasks at the least), and a deployment that
                // stated one would reset a scaled-out service and end the streams of the tasks it stops.
                .vpcSubnets(Network.PRIVATE)
                .securityGroups(List.of(securityGroup))
                .assignPublicIp(false)
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                // The JVM's start plus the first readiness checks.
                .healthCheckGracePeriod(Duration.seconds(60))
                .build());

        SecurityGroup loadBalancerGroup = new SecurityGroup(this, "LoadBalancerSecurityGroup",
                SecurityGroupProps.builder()
                        .vpc(vpc)
                        .description("Cruddur Messages load balancer")
                        .allowAllOutbound(false)
                        .build());
        loadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", ApplicationLoadBalancerProps.builder()
                .vpc(vpc)
                .internetFacing(true)
                .vpcSubnets(Network.PUBLIC)
                .securityGroup(loadBalancerGroup)
                .dropInvalidHeaderFields(true)
                .idleTimeout(Duration.seconds(IDLE_TIMEOUT_SECONDS))
                .build());
        Nag.suppress(loadBalancerGroup, "AwsSolutions-EC23", "The internet-facing load balancer of a public API:"
                + " only its listener ports (443, and 80 which then only redirects; 80 alone without a certificate)"
                + " are open to any address, and the tasks behind it accept only this group");

        ApplicationListener listener;
        if (settings.certificateArn().isPresent()) {
            listener = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                    .port(443)
                    .protocol(ApplicationProtocol.HTTPS)
                    .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn().get())))
                    .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                    .defaultAction(notFound())
                    .open(true)
                    .build());
            // Port 80 only redirects to HTTPS.
            loadBalancer.addRedirect(ApplicationLoadBalancerRedirectConfig.builder()
                    .sourcePort(80)
                    .sourceProtocol(ApplicationProtocol.HTTP)
                    .targetPort(443)
                    .targetProtocol(ApplicationProtocol.HTTPS)
                    .build());
        } else {
            listener = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .defaultAction(notFound())
                    .open(true)
                    .build());
        }

        // Only the API is forwarded (a rule; the default action answers 404). Opens the tasks' API
        // port to the load balancer's security group (and only to it).
        targetGroup = listener.addTargets("Service", AddApplicationTargetsProps.builder()
                .port(CONTAINER_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .priority(API_RULE_PRIORITY)
                .conditions(List.of(ListenerCondition.pathPatterns(List.of(API_PATH_PATTERN))))
                .targets(List.of(service.loadBalancerTarget(LoadBalancerTargetOptions.builder()
                        .containerName(CONTAINER_NAME)
                        .containerPort(CONTAINER_PORT)
                        .build())))
                .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                        .port(Integer.toString(MANAGEMENT_PORT))
                        .protocol(software.amazon.awscdk.services.elasticloadbalancingv2.Protocol.HTTP)
                        .path(READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .deregistrationDelay(Duration.seconds(DEREGISTRATION_DELAY_SECONDS))
                .build());
        // The health checks go to the management port: open it to the load balancer's group only
        // (ingress on the tasks' group, egress on the load balancer's).
        securityGroup.getConnections().allowFrom(loadBalancerGroup, Port.tcp(MANAGEMENT_PORT),
                "Health checks from the load balancer (management interface)");

        database.applicationSecretArn().ifPresent(login -> replaceTasksEvery(TASK_REPLACEMENT_DAYS));

        ScalableTaskCount scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(settings.minTasks())
                .maxCapacity(settings.maxTasks())
                .build());
        scaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .targetUtilizationPercent(CPU_TARGET_PERCENT)
                .scaleOutCooldown(Duration.minutes(1))
                .scaleInCooldown(Duration.minutes(5))
                .build());
        scaling.scaleOnRequestCount("Requests", RequestCountScalingProps.builder()
                .requestsPerTarget(REQUESTS_PER_TASK_PER_MINUTE)
                .targetGroup(targetGroup)
                .scaleOutCooldown(Duration.minutes(1))
                .scaleInCooldown(Duration.minutes(5))
                .build());
        // Event streams cost memory, not CPU or requests: a task full of quiet streams is busy too.
        // Each task reports its own count; their average is the load per task. Scaling in ends the
        // streams of the stopped task (they resume elsewhere), so it waits longer.
        scaling.scaleToTrackCustomMetric("OpenStreams", TrackCustomMetricProps.builder()
                .metric(openStreams())
                .targetValue(OPEN_STREAMS_PER_TASK)
                .scaleOutCooldown(Duration.minutes(1))
                .scaleInCooldown(Duration.minutes(10))
                .build());
    }

    /**
     * A schedule that forces a new deployment of the service every {@code days} days: each task is
     * replaced (rolling, as in any deployment) and reads the login's current password. EventBridge
     * Scheduler calls ECS's UpdateService itself, as a role that may do nothing else.
     */
    private void replaceTasksEvery(int days) {
        Stack stack = Stack.of(this);
        Role scheduler = new Role(this, "ReplaceTasksRole", RoleProps.builder()
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com", ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                        .build()))
                .description("Replaces the Cruddur Messages tasks on a schedule (a new deployment)")
                .build());
        scheduler.addToPolicy(Access.allow(Access.REPLACE_TASKS_ACTIONS, service.getServiceArn()));
        CfnSchedule schedule = new CfnSchedule(this, "ReplaceTasks", CfnScheduleProps.builder()
                .description("Replace every task, so that none outlives its database password")
                .scheduleExpression("rate(" + days + " days)")
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder()
                        .mode("FLEXIBLE").maximumWindowInMinutes(60).build())
                .target(CfnSchedule.TargetProperty.builder()
                        .arn("arn:aws:scheduler:::aws-sdk:ecs:updateService")
                        .roleArn(scheduler.getRoleArn())
                        .input(Stack.of(this).toJsonString(Map.of(
                                "cluster", service.getCluster().getClusterName(),
                                "service", service.getServiceName(),
                                "forceNewDeployment", true)))
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(3).maximumEventAgeInSeconds(3600).build())
                        .build())
                .build());
        schedule.getNode().addDependency(scheduler);
    }

    /** The open event streams per task (the collector's metric), averaged over the tasks each minute. */
    public static Metric openStreams() {
        return Metric.Builder.create()
                .namespace(METRIC_NAMESPACE)
                .metricName(OPEN_STREAMS_METRIC)
                .dimensionsMap(Map.of("service", METRIC_SERVICE))
                .statistic(Stats.AVERAGE)
                .period(Duration.minutes(1))
                .build();
    }

    /**
     * Rolls a deployment back when one of {@code alarms} fires while it runs (ECS watches them
     * during the deployment and its bake time), beside the circuit breaker, which rolls back tasks
     * that never become healthy.
     */
    public void rollBackOn(List<IAlarm> alarms) {
        service.enableDeploymentAlarms(alarms.stream().map(IAlarm::getAlarmName).toList(),
                DeploymentAlarmOptions.builder().behavior(AlarmBehavior.ROLLBACK_ON_ALARM).build());
    }

    /** 404 with a problem body: the listener's answer to anything but {@link #API_PATH_PATTERN}. */
    private static ListenerAction notFound() {
        return ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
                .contentType(NOT_FOUND_CONTENT_TYPE)
                .messageBody(NOT_FOUND_BODY)
                .build());
    }

    public FargateService service() {
        return service;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public ApplicationTargetGroup targetGroup() {
        return targetGroup;
    }

    public Role taskRole() {
        return taskRole;
    }

    public Role executionRole() {
        return executionRole;
    }

    /** The tasks' log group. */
    public LogGroup logGroup() {
        return logGroup;
    }

    /** The group the collector writes its metrics to. */
    public LogGroup metricsLogGroup() {
        return metricsLogGroup;
    }

    /** The collector's configuration, as the repository holds it. */
    static String collectorConfig() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(COLLECTOR_CONFIG_FILE));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the collector's configuration: " + COLLECTOR_CONFIG_FILE, e);
        }
    }

    /** The file the image's entry point reads its JVM options from (docker/Dockerfile.jvm); cdk runs in infra/. */
    public static final String JVM_OPTIONS_FILE = "../docker/jvm.options";

    /** The image the task runs; its last CMD is the command the task writes out. */
    public static final String DOCKERFILE = "../docker/Dockerfile.jvm";

    /**
     * The container's command: the image's own (the last CMD of {@link #DOCKERFILE}: its options file,
     * the AOT cache the image carries, the jar), with the options of {@link #JVM_OPTIONS_FILE} written
     * out in place of the {@code @} argument that names it, so that the task definition shows them.
     */
    public static List<String> javaCommand() {
        try {
            String dockerfile = java.nio.file.Files.readString(java.nio.file.Path.of(DOCKERFILE));
            java.util.regex.Matcher cmd = java.util.regex.Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(dockerfile);
            String last = null;
            while (cmd.find()) {
                last = cmd.group(1);
            }
            if (last == null) {
                throw new IllegalStateException(DOCKERFILE + " has no CMD");
            }
            List<String> command = new java.util.ArrayList<>();
            java.util.regex.Matcher argument = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(last);
            while (argument.find()) {
                if (argument.group(1).equals("@/deployments/jvm.options")) {
                    command.addAll(java.nio.file.Files.readAllLines(java.nio.file.Path.of(JVM_OPTIONS_FILE)).stream()
                            .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
                } else {
                    command.add(argument.group(1));
                }
            }
            return command;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the image's command: " + DOCKERFILE + ", " + JVM_OPTIONS_FILE, e);
        }
    }
}
