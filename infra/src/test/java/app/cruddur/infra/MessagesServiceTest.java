package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import app.cruddur.infra.service.MessagesService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The service on ECS/Fargate: task, container, load balancer, security groups and scaling. */
class MessagesServiceTest {

    private static Template defaults;
    private static Template full;
    private static Map<String, Object> container;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
        container = containerOf(defaults);
    }

    @Test
    void runsOnFargateWithTheStatedSize() {
        defaults.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of(
                "Cpu", "1024",
                "Memory", "2048",
                "NetworkMode", "awsvpc",
                "RequiresCompatibilities", List.of("FARGATE"),
                "RuntimePlatform", Map.of("CpuArchitecture", "X86_64", "OperatingSystemFamily", "LINUX")));
        defaults.hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
        assertEquals(List.of("messages", "init", "otel-collector"), list(Cfn.onlyProperties(defaults,
                        "AWS::ECS::TaskDefinition").get("ContainerDefinitions")).stream().map(c -> map(c).get("Name")).toList(),
                "the service, its init run and the collector beside it");
        assertEquals(List.of("messages", "otel-collector"), list(Cfn.onlyProperties(full,
                        "AWS::ECS::TaskDefinition").get("ContainerDefinitions")).stream().map(c -> map(c).get("Name")).toList(),
                "an existing database: the service migrates it at its start, as its owner wants it");
    }

    @Test
    void runsTheImageFromEcrWithTheGivenTag() {
        assertEquals(Map.of("Fn::Join", List.of("", List.of(
                        "123456789012.dkr.ecr.eu-west-1.", Map.of("Ref", "AWS::URLSuffix"),
                        "/cruddur-messages:" + Synth.IMAGE_TAG))),
                container.get("Image"));
        assertEquals("cruddur-messages", Synth.cdkJsonContext().get("imageRepository"));
        assertEquals(List.of(Map.of("ContainerPort", 8080, "Protocol", "tcp"), Map.of("ContainerPort", 9000, "Protocol", "tcp")),
                container.get("PortMappings"), "the API first, then the management interface");
        assertEquals(true, container.get("Essential"));
        assertEquals("messages", container.get("Name"));
    }

    @Test
    void passesTheRateLimitsToTheService() {
        Map<String, Object> limits = new java.util.TreeMap<>(DaxTest.containerEnvironment(defaults));
        limits.keySet().removeIf(name -> !name.startsWith("CRUDDUR_MESSAGES_RATE_LIMITS_"));
        assertEquals(new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true"),
                // The load balancer appends the client's address to X-Forwarded-For: the rightmost entry.
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_TRUSTED_PROXIES", "1"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_LIMIT", "30"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_PERIOD", "1m"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_BURST", "10"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_CONVERSATIONS_LIMIT", "20"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_CONVERSATIONS_PERIOD", "1h"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_CONVERSATIONS_BURST", "20"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_TICKETS_LIMIT", "30"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_TICKETS_PERIOD", "1m"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_TICKETS_BURST", "10"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_PROFILE_LOOKUPS_LIMIT", "60"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_PROFILE_LOOKUPS_PERIOD", "1m"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_PROFILE_LOOKUPS_BURST", "60"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_BLOCKS_LIMIT", "30"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_BLOCKS_PERIOD", "1m"),
                Map.entry("CRUDDUR_MESSAGES_RATE_LIMITS_BLOCKS_BURST", "10"))), limits);
        // The full stack's context sets rateLimitMessages=120/1m/20.
        Map<String, Object> tuned = DaxTest.containerEnvironment(full);
        assertEquals("120", tuned.get("CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_LIMIT"));
        assertEquals("20", tuned.get("CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_BURST"));
    }

    private static Map<String, Object> withoutLimits(Map<String, Object> environment) {
        Map<String, Object> rest = new java.util.HashMap<>(environment);
        rest.keySet().removeIf(name -> name.startsWith("CRUDDUR_MESSAGES_RATE_LIMITS_"));
        return rest;
    }

    @Test
    void isConfiguredThroughItsEnvironment() {
        String tableId = Cfn.messagesTable(defaults);
        assertEquals(Map.ofEntries(
                        Map.entry("AWS_REGION", "eu-west-1"),
                        Map.entry("DYNAMODB_TABLE_NAME", Cfn.ref(tableId)),
                        Map.entry("COGNITO_USER_POOL_ID", Cfn.ref(Cfn.onlyId(defaults, "AWS::Cognito::UserPool"))),
                        Map.entry("COGNITO_APP_CLIENT_ID", Cfn.ref(Cfn.onlyId(defaults, "AWS::Cognito::UserPoolClient"))),
                        Map.entry("POSTGRES_URL", DaxTest.containerEnvironment(defaults).get("POSTGRES_URL")),
                        Map.entry("POSTGRES_SSL_MODE", "verify-full"),
                        Map.entry("POSTGRES_CA_FILE", "/deployments/rds-ca.pem"),
                        Map.entry("FRONTEND_ORIGINS", "https://cruddur.example,https://www.cruddur.example"),
                        Map.entry("REDIS_ENDPOINT", DaxTest.containerEnvironment(defaults).get("REDIS_ENDPOINT")),
                        Map.entry("REDIS_USER", "cruddur-messages"),
                        // The keys of the texts: the key table, the KMS key that wraps them, the name ciphertexts are bound to.
                        Map.entry("MESSAGES_KEY_TABLE_NAME", Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::DynamoDB::Table", "KeysTable"))),
                        Map.entry("MESSAGES_KMS_KEY_ID", Cfn.getAtt(LeastPrivilegeTest.textsKey(defaults), "Arn")),
                        Map.entry("MESSAGES_TABLE_CONTEXT", "cruddur-messages"),
                        // The share of traces the service keeps and the collector sends to X-Ray.
                        Map.entry("TRACES_SAMPLE_RATIO", "0.05"),
                        // The init run migrates (the database the stack creates).
                        Map.entry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")),
                withoutLimits(DaxTest.containerEnvironment(defaults)));
        String cache = Cfn.onlyId(defaults, "AWS::ElastiCache::ServerlessCache");
        assertEquals(Map.of("Fn::Join", List.of("", List.of(Cfn.getAtt(cache, "Endpoint.Address"), ":",
                Cfn.getAtt(cache, "Endpoint.Port")))), DaxTest.containerEnvironment(defaults).get("REDIS_ENDPOINT"));
        Map<String, Object> withEverything = withoutLimits(DaxTest.containerEnvironment(full));
        assertEquals(Set.of("AWS_REGION", "DYNAMODB_TABLE_NAME", "COGNITO_USER_POOL_ID", "COGNITO_APP_CLIENT_ID",
                "POSTGRES_URL", "POSTGRES_SSL_MODE", "POSTGRES_CA_FILE", "FRONTEND_ORIGINS", "DAX_ENDPOINT",
                "REDIS_ENDPOINT", "REDIS_USER", "MESSAGES_KEY_TABLE_NAME", "MESSAGES_KMS_KEY_ID", "MESSAGES_TABLE_CONTEXT",
                "TRACES_SAMPLE_RATIO"),
                withEverything.keySet());
        // The database's values themselves: DatabaseTest.
    }

    @Test
    void signsInAsItsOwnLoginOnceTheInitRunHasMigratedAsTheMaster() {
        String master = Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::Secret", "DatabaseSecret");
        String login = Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment",
                "DatabaseApplicationSecretAttachment");
        String events = Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::Secret", "EventsSecret");
        String signUp = Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment", "DatabaseSignUpSecretAttachment");
        assertEquals(List.of(
                        Map.of("Name", "POSTGRES_USER", "ValueFrom", secretField(login, "username")),
                        Map.of("Name", "POSTGRES_PASSWORD", "ValueFrom", secretField(login, "password")),
                        Map.of("Name", "REDIS_PASSWORD", "ValueFrom", Cfn.ref(events))),
                containerOf(defaults).get("Secrets"), "the service: its own login, no master");
        Map<String, Object> init = list(Cfn.onlyProperties(defaults, "AWS::ECS::TaskDefinition").get("ContainerDefinitions"))
                .stream().map(Cfn::map).filter(c -> "init".equals(c.get("Name"))).findFirst().orElseThrow();
        assertEquals(List.of(
                        Map.of("Name", "POSTGRES_USER", "ValueFrom", secretField(master, "username")),
                        Map.of("Name", "POSTGRES_PASSWORD", "ValueFrom", secretField(master, "password")),
                        Map.of("Name", "POSTGRES_APP_USER", "ValueFrom", secretField(login, "username")),
                        Map.of("Name", "POSTGRES_APP_PASSWORD", "ValueFrom", secretField(login, "password")),
                        Map.of("Name", "POSTGRES_SIGNUP_USER", "ValueFrom", secretField(signUp, "username")),
                        Map.of("Name", "POSTGRES_SIGNUP_PASSWORD", "ValueFrom", secretField(signUp, "password")),
                        Map.of("Name", "REDIS_PASSWORD", "ValueFrom", Cfn.ref(events))),
                init.get("Secrets"), "the init run: the master's login, and the service's and the sign-up trigger's"
                        + " to make sure they exist");
        assertEquals(false, init.get("Essential"));
        assertEquals(containerOf(defaults).get("Image"), init.get("Image"), "the same image");
        assertEquals(containerOf(defaults).get("Command"), init.get("Command"), "and command");
        Map<String, Object> environment = new java.util.HashMap<>();
        list(init.get("Environment")).forEach(e -> environment.put((String) map(e).get("Name"), map(e).get("Value")));
        assertEquals("true", environment.get("QUARKUS_INIT_AND_EXIT"));
        assertFalse(environment.containsKey("QUARKUS_FLYWAY_MIGRATE_AT_START"), "it migrates");
        assertEquals(List.of(Map.of("ContainerName", "init", "Condition", "SUCCESS")), containerOf(defaults).get("DependsOn"),
                "the service starts only once the init run succeeded");
    }

    @Test
    void replacesEveryTaskWeeklyWhileItsLoginRotatesMonthly() {
        Map<String, Object> schedule = Cfn.onlyProperties(defaults, "AWS::Scheduler::Schedule");
        assertEquals("rate(7 days)", schedule.get("ScheduleExpression"));
        Map<String, Object> target = map(schedule.get("Target"));
        assertEquals("arn:aws:scheduler:::aws-sdk:ecs:updateService", target.get("Arn"));
        String input = Policies.toJson(target.get("Input"));
        assertTrue(input.contains("forceNewDeployment") && input.contains("true"), input);
        String role = Cfn.referencedId(target.get("RoleArn"));
        assertEquals(Map.of("ecs-service", Set.of("ecs:UpdateService")), Policies.actionsByResource(defaults, role)
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> e.getKey().contains("Service")
                        ? "ecs-service" : e.getKey(), Map.Entry::getValue)), "the one call, on the one service");
        // An existing database's login is its owner's business: nothing rotates here, nothing to replace.
        full.resourceCountIs("AWS::Scheduler::Schedule", 0);
    }

    private static Map<String, Object> secretField(String secretId, String field) {
        return Map.of("Fn::Join", List.of("", List.of(Cfn.ref(secretId), ":" + field + "::")));
    }

    @Test
    void readsTheDatabaseCredentialsAndTheEventCachePasswordFromTheirSecrets() {
        for (Template template : List.of(defaults, full)) {
            List<Object> secrets = list(containerOf(template).get("Secrets"));
            assertEquals(List.of("POSTGRES_USER", "POSTGRES_PASSWORD", "REDIS_PASSWORD"),
                    secrets.stream().map(s -> map(s).get("Name")).toList());
        }
        assertEquals(List.of(
                        Map.of("Name", "POSTGRES_USER", "ValueFrom", Synth.SECRET_ARN + ":username::"),
                        Map.of("Name", "POSTGRES_PASSWORD", "ValueFrom", Synth.SECRET_ARN + ":password::"),
                        Map.of("Name", "REDIS_PASSWORD", "ValueFrom",
                                Cfn.ref(Cfn.onlyIdUnder(full, "AWS::SecretsManager::Secret", "EventsSecret")))),
                containerOf(full).get("Secrets"), "an existing database's secret, by its complete ARN; the cache's whole secret");
    }

    @Test
    void runsTheImagesCommandWithItsOptionsAndItsAotCache() throws Exception {
        List<String> options = java.nio.file.Files.readAllLines(java.nio.file.Path.of("../docker/jvm.options")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        List<Object> command = list(container.get("Command"));
        assertEquals(options, command.subList(0, options.size()));
        // The image's last CMD after its options file: the cache the image carries, required, then the jar.
        assertEquals(List.of("-XX:AOTCache=/deployments/app.aot", "-XX:AOTMode=on", "-jar", "/deployments/quarkus-run.jar"),
                command.subList(options.size(), command.size()));
        String dockerfile = java.nio.file.Files.readString(java.nio.file.Path.of("../docker/Dockerfile.jvm"));
        org.junit.jupiter.api.Assertions.assertTrue(dockerfile.contains("COPY --chown=185 target/aot/app.aot /deployments/app.aot"), dockerfile);
        org.junit.jupiter.api.Assertions.assertTrue(options.contains("-XX:+UseSerialGC") && options.stream().anyMatch(o -> o.startsWith("-Xmx")), options.toString());
    }

    @Test
    void checksLivenessInTheContainerAndLogsWithRetention() {
        assertEquals(Map.of(
                        "Command", List.of("CMD-SHELL", "curl -fsS http://localhost:9000/q/health/live || exit 1"),
                        "Interval", 30, "Timeout", 5, "Retries", 3, "StartPeriod", 60),
                container.get("HealthCheck"));
        Map<String, Object> logging = map(container.get("LogConfiguration"));
        assertEquals("awslogs", logging.get("LogDriver"));
        String logGroup = Cfn.referencedId(map(logging.get("Options")).get("awslogs-group"));
        assertEquals("AWS::Logs::LogGroup", Cfn.typeOf(defaults, logGroup));
        assertEquals(30, Cfn.properties(defaults, logGroup).get("RetentionInDays"));
    }

    @Test
    void runsTwoTasksInThePrivateSubnetsWithoutPublicAddresses() {
        Map<String, Object> service = Cfn.onlyProperties(defaults, "AWS::ECS::Service");
        assertEquals("FARGATE", service.get("LaunchType"));
        // Scaling owns the count (minTasks at the least): a deployment must not reset a scaled-out service.
        assertFalse(service.containsKey("DesiredCount"), service.toString());
        Map<String, Object> target = Cfn.onlyProperties(defaults, "AWS::ApplicationAutoScaling::ScalableTarget");
        assertEquals(2, target.get("MinCapacity"));
        assertEquals(6, target.get("MaxCapacity"));
        Map<String, Object> network = map(map(service.get("NetworkConfiguration")).get("AwsvpcConfiguration"));
        assertEquals("DISABLED", network.get("AssignPublicIp"));
        Set<String> subnets = new TreeSet<>();
        list(network.get("Subnets")).forEach(s -> subnets.add(Cfn.referencedId(s)));
        assertEquals(new TreeSet<>(Cfn.subnetIds(defaults, "private")), subnets);
        assertEquals(List.of(Cfn.getAtt(serviceGroup(defaults), "GroupId")), network.get("SecurityGroups"));
        defaults.hasResourceProperties("AWS::ECS::Service", Map.of("DeploymentConfiguration", Map.of(
                "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                "MinimumHealthyPercent", 100,
                "MaximumPercent", 200)));
    }

    @Test
    void loadBalancerIsPublicAndRoutesOnReadinessFromTheManagementPort() {
        Map<String, Object> alb = Cfn.onlyProperties(defaults, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        assertEquals("internet-facing", alb.get("Scheme"));
        Set<String> subnets = new TreeSet<>();
        list(alb.get("Subnets")).forEach(s -> subnets.add(Cfn.referencedId(s)));
        assertEquals(new TreeSet<>(Cfn.subnetIds(defaults, "public")), subnets);
        defaults.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("LoadBalancerAttributes",
                Match.arrayWith(List.of(Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true")))));

        String targetGroup = Cfn.onlyId(defaults, "AWS::ElasticLoadBalancingV2::TargetGroup");
        defaults.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of(
                "Port", 8080,
                "Protocol", "HTTP",
                "TargetType", "ip",
                "HealthCheckPort", "9000",
                "HealthCheckProtocol", "HTTP",
                "HealthCheckPath", "/q/health/ready",
                "Matcher", Map.of("HttpCode", "200"),
                "HealthCheckIntervalSeconds", 15,
                "HealthyThresholdCount", 2,
                "UnhealthyThresholdCount", 3));
        defaults.hasResourceProperties("AWS::ECS::Service", Map.of("LoadBalancers", List.of(Map.of(
                "ContainerName", "messages",
                "ContainerPort", 8080,
                "TargetGroupArn", Cfn.ref(targetGroup)))));
    }

    @Test
    void speaksHttpWithoutACertificate() {
        defaults.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        String targetGroup = Cfn.onlyId(defaults, "AWS::ElasticLoadBalancingV2::TargetGroup");
        String listener = Cfn.onlyId(defaults, "AWS::ElasticLoadBalancingV2::Listener");
        defaults.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80,
                "Protocol", "HTTP",
                "DefaultActions", List.of(NOT_FOUND)));
        assertEquals(Map.of(listener, List.of(targetGroup)), apiRules(defaults));
        assertEquals(List.of(Map.of("IpProtocol", "tcp", "FromPort", 80, "ToPort", 80, "CidrIp", "0.0.0.0/0")),
                SecurityGroups.ingress(defaults, loadBalancerGroup(defaults)));
    }

    @Test
    void speaksHttpsWithACertificateAndRedirectsHttp() {
        full.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        String targetGroup = Cfn.onlyId(full, "AWS::ElasticLoadBalancingV2::TargetGroup");
        full.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 443,
                "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", Synth.CERTIFICATE_ARN)),
                "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "DefaultActions", List.of(NOT_FOUND)));
        String https = listenerOnPort(full, 443);
        assertEquals(Map.of(https, List.of(targetGroup)), apiRules(full), "the API is forwarded on HTTPS only");
        full.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80,
                "Protocol", "HTTP",
                "DefaultActions", List.of(Map.of("Type", "redirect",
                        "RedirectConfig", Map.of("Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301")))));
        assertEquals(Set.of(443, 80), Set.copyOf(SecurityGroups.ingress(full, loadBalancerGroup(full)).stream()
                .map(rule -> rule.get("FromPort")).toList()));
    }

    @Test
    void tasksAcceptOnlyTheLoadBalancerAndReachOnlyWhatTheyUse() {
        for (Template template : List.of(defaults, full)) {
            String tasks = serviceGroup(template);
            String alb = loadBalancerGroup(template);
            // The API and the management interface (health checks), each from the load balancer only.
            assertEquals(Set.of(
                            Map.of("IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "SourceSecurityGroupId", alb),
                            Map.of("IpProtocol", "tcp", "FromPort", 9000, "ToPort", 9000, "SourceSecurityGroupId", alb)),
                    Set.copyOf(SecurityGroups.ingress(template, tasks)));
            assertEquals(2, SecurityGroups.ingress(template, tasks).size());
            assertEquals(Set.of(
                            Map.of("IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "DestinationSecurityGroupId", tasks),
                            Map.of("IpProtocol", "tcp", "FromPort", 9000, "ToPort", 9000, "DestinationSecurityGroupId", tasks)),
                    Set.copyOf(SecurityGroups.egress(template, alb)), "the load balancer only talks to the tasks");
            assertEquals(2, SecurityGroups.egress(template, alb).size());
        }
        String database = Cfn.referencedId(list(Cfn.onlyProperties(defaults, "AWS::RDS::DBInstance")
                .get("VPCSecurityGroups")).get(0));
        assertEquals(List.of(
                        Map.of("CidrIp", "0.0.0.0/0", "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443),
                        Map.of("IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432,
                                "DestinationSecurityGroupId", database),
                        StreamProjectorTest.toTheEventCache(defaults)),
                SecurityGroups.egress(defaults, serviceGroup(defaults)));
        // An existing database: its port to any address; with DAX, the TLS port to the cluster too
        // (DaxTest checks that rule itself).
        List<Map<String, Object>> full443AndDatabase = SecurityGroups.egress(full, serviceGroup(full)).subList(0, 2);
        assertEquals(List.of(
                        Map.of("CidrIp", "0.0.0.0/0", "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443),
                        Map.of("CidrIp", "0.0.0.0/0", "IpProtocol", "tcp", "FromPort", 5432, "ToPort", 5432)),
                full443AndDatabase);
        assertEquals(4, SecurityGroups.egress(full, serviceGroup(full)).size(), "and the event cache's port");
        assertTrue(SecurityGroups.egress(full, serviceGroup(full)).contains(StreamProjectorTest.toTheEventCache(full)));
    }

    @Test
    void scalesBetweenTwoAndTheMaximumOnCpuRequestsAndOpenStreams() {
        defaults.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "MinCapacity", 2,
                "MaxCapacity", 6,
                "ScalableDimension", "ecs:service:DesiredCount",
                "ServiceNamespace", "ecs"));
        full.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MaxCapacity", 8));
        defaults.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"),
                        "TargetValue", 60)));
        Capture label = new Capture();
        defaults.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification", Map.of(
                                "PredefinedMetricType", "ALBRequestCountPerTarget",
                                "ResourceLabel", label),
                        "TargetValue", 1000)));
        String targetGroup = Cfn.onlyId(defaults, "AWS::ElasticLoadBalancingV2::TargetGroup");
        assertEquals(true, Policies.toJson(label.asObject()).contains(targetGroup), "scales on this target group");
        // Open event streams per task, the collector's metric, averaged over the tasks: quiet streams
        // cost memory, not CPU or requests. Scaling in (which ends a task's streams) waits longer.
        defaults.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "CustomizedMetricSpecification", Map.of(
                                "Namespace", "CruddurMessages",
                                "MetricName", "cruddur_events_streams_open",
                                "Dimensions", List.of(Map.of("Name", "service", "Value", "cruddur-messages")),
                                "Statistic", "Average"),
                        "TargetValue", 4000,
                        "ScaleOutCooldown", 60,
                        "ScaleInCooldown", 600)));
        defaults.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 3);
    }

    @Test
    void rollsADeploymentBackWhenItsAlarmsFire() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> deployment = map(Cfn.onlyProperties(template, "AWS::ECS::Service").get("DeploymentConfiguration"));
            Map<String, Object> alarms = map(deployment.get("Alarms"));
            assertEquals(true, alarms.get("Enable"));
            assertEquals(true, alarms.get("Rollback"));
            List<String> names = list(alarms.get("AlarmNames")).stream()
                    .map(ref -> (String) Cfn.properties(template, Cfn.referencedId(ref)).get("AlarmName")).toList();
            assertEquals(List.of("cruddur-messages-unhealthy-tasks", "cruddur-messages-target-5xx",
                    "cruddur-messages-elb-5xx"), names, "5XX from the tasks or the load balancer, unhealthy tasks");
            assertEquals(Map.of("Enable", true, "Rollback", true), deployment.get("DeploymentCircuitBreaker"));
        }
    }

    @Test
    void sendsTheOpenStreamsToCloudWatchThroughTheCollectorBesideIt() throws Exception {
        Map<String, Object> collector = list(Cfn.onlyProperties(defaults, "AWS::ECS::TaskDefinition")
                .get("ContainerDefinitions")).stream().map(Cfn::map)
                .filter(c -> MessagesService.COLLECTOR_NAME.equals(c.get("Name"))).findFirst().orElseThrow();
        assertEquals("public.ecr.aws/aws-observability/aws-otel-collector:v0.48.0", collector.get("Image"));
        assertEquals(false, collector.get("Essential"), "the service serves on without it");
        Map<String, Object> environment = new java.util.HashMap<>();
        list(collector.get("Environment")).forEach(e -> environment.put((String) map(e).get("Name"), map(e).get("Value")));
        String config = java.nio.file.Files.readString(java.nio.file.Path.of("../docker/otel-collector.yaml"));
        assertEquals(config, environment.get("AOT_CONFIG_CONTENT"), "the repository's configuration");
        String metricsGroup = Cfn.onlyIdUnder(defaults, "AWS::Logs::LogGroup", "ServiceMetricsLogs");
        assertEquals(Cfn.ref(metricsGroup), environment.get("METRICS_LOG_GROUP"));
        // It scrapes the management port's metrics, keeps the gauge scaling reads, and writes it as
        // the metric the scaling policy names.
        assertTrue(config.contains("- targets: [\"localhost:" + MessagesService.MANAGEMENT_PORT + "\"]"), config);
        assertTrue(config.contains("metrics_path: /q/metrics"), config);
        assertTrue(config.contains("regex: " + MessagesService.OPEN_STREAMS_METRIC), config);
        assertTrue(config.contains("namespace: " + MessagesService.METRIC_NAMESPACE), config);
        assertTrue(config.contains("service: " + MessagesService.METRIC_SERVICE), config);
        assertTrue(config.contains("- \"^" + MessagesService.OPEN_STREAMS_METRIC + "$\""), config);
        assertTrue(config.contains("log_group_name: ${env:METRICS_LOG_GROUP}"), config);
    }

    @Test
    void forwardsOnlyTheApiAndAnswersEverythingElseWithAProblem() throws Exception {
        for (Template template : List.of(defaults, full)) {
            Map<String, Map<String, Object>> rules = Cfn.ofType(template, "AWS::ElasticLoadBalancingV2::ListenerRule");
            assertEquals(1, rules.size(), "one rule: the API");
            Map<String, Object> rule = map(rules.values().iterator().next().get("Properties"));
            assertEquals(List.of(Map.of("Field", "path-pattern", "PathPatternConfig", Map.of("Values", List.of("/api/*")))),
                    rule.get("Conditions"));
            assertEquals(10, rule.get("Priority"));
            // No listener forwards by default: /q/health, /q/metrics and every other path end at the 404.
            for (Map<String, Object> listener : Cfn.ofType(template, "AWS::ElasticLoadBalancingV2::Listener").values()) {
                for (Object action : list(map(listener.get("Properties")).get("DefaultActions"))) {
                    assertEquals(false, "forward".equals(map(action).get("Type")), "a listener forwards by default: " + listener);
                }
            }
        }
        Map<String, Object> body = map(new ObjectMapper().readValue(
                (String) map(NOT_FOUND.get("FixedResponseConfig")).get("MessageBody"), Map.class));
        assertEquals(Map.of("type", "about:blank", "title", "Not Found", "status", 404, "code", "not_found"), body,
                "the service's own 404 problem");
    }

    /** The listener's default action: the problem answer to anything outside /api/*. */
    private static final Map<String, Object> NOT_FOUND = Map.of(
            "Type", "fixed-response",
            "FixedResponseConfig", Map.of(
                    "StatusCode", "404",
                    "ContentType", "application/json",
                    "MessageBody", "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"code\":\"not_found\"}"));

    /** The target groups each listener's rules forward to, by listener logical id. */
    private static Map<String, List<String>> apiRules(Template template) {
        Map<String, List<String>> forwards = new TreeMap<>();
        for (Map<String, Object> rule : Cfn.ofType(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()) {
            Map<String, Object> properties = map(rule.get("Properties"));
            for (Object action : list(properties.get("Actions"))) {
                assertEquals("forward", map(action).get("Type"));
                forwards.computeIfAbsent(Cfn.referencedId(properties.get("ListenerArn")), k -> new ArrayList<>())
                        .add(Cfn.referencedId(map(action).get("TargetGroupArn")));
            }
        }
        return forwards;
    }

    private static String listenerOnPort(Template template, int port) {
        List<String> found = Cfn.ofType(template, "AWS::ElasticLoadBalancingV2::Listener").entrySet().stream()
                .filter(e -> Integer.valueOf(port).equals(map(e.getValue().get("Properties")).get("Port")))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, found.size(), "listeners on " + port);
        return found.get(0);
    }

    /** The service's one container definition. */
    static Map<String, Object> containerOf(Template template) {
        return map(list(Cfn.onlyProperties(template, "AWS::ECS::TaskDefinition").get("ContainerDefinitions")).get(0));
    }

    static String serviceGroup(Template template) {
        Map<String, Object> service = Cfn.onlyProperties(template, "AWS::ECS::Service");
        Map<String, Object> network = map(map(service.get("NetworkConfiguration")).get("AwsvpcConfiguration"));
        return Cfn.referencedId(list(network.get("SecurityGroups")).get(0));
    }

    static String loadBalancerGroup(Template template) {
        Map<String, Object> alb = Cfn.onlyProperties(template, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        return Cfn.referencedId(list(alb.get("SecurityGroups")).get(0));
    }
}
