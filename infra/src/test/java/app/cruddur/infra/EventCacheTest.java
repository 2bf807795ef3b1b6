package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.events.EventCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The event cache: ElastiCache Serverless for Valkey in the private subnets, reachable only from the
 * tasks and the projection Lambda, each signing in as its own user with the repository's ACL rules;
 * and the load balancer set for long-lived event streams.
 */
class EventCacheTest {

    private static Template defaults;
    private static Template full;
    private static String cacheId;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
        cacheId = Cfn.onlyId(defaults, "AWS::ElastiCache::ServerlessCache");
    }

    @Test
    void isAServerlessValkeyCacheInThePrivateSubnetsWithBoundedUsage() {
        for (Template template : List.of(defaults, full)) {
            template.resourceCountIs("AWS::ElastiCache::ServerlessCache", 1);
        }
        Map<String, Object> cache = Cfn.properties(defaults, cacheId);
        assertEquals("valkey", cache.get("Engine"));
        assertEquals("8", cache.get("MajorEngineVersion"));
        assertEquals("cruddur-messages-events", cache.get("ServerlessCacheName"));
        assertEquals(Map.of("DataStorage", Map.of("Maximum", 1, "Unit", "GB"), "ECPUPerSecond", Map.of("Maximum", 20000)),
                cache.get("CacheUsageLimits"));
        Set<String> privateSubnets = Cfn.ofType(defaults, "AWS::EC2::Subnet").keySet().stream()
                .filter(id -> id.toLowerCase(java.util.Locale.ROOT).contains("private")).collect(Collectors.toSet());
        Set<String> subnets = list(cache.get("SubnetIds")).stream().map(Cfn::referencedId).collect(Collectors.toSet());
        assertEquals(privateSubnets, subnets);
    }

    @Test
    void onlyTheTasksAndTheLambdaReachItsPort() {
        for (Template template : List.of(defaults, full)) {
            String cacheGroup = Cfn.onlyIdUnder(template, "AWS::EC2::SecurityGroup", "Events");
            assertEquals(List.of(Cfn.getAtt(cacheGroup, "GroupId")), Cfn.properties(template,
                    Cfn.onlyId(template, "AWS::ElastiCache::ServerlessCache")).get("SecurityGroupIds"));
            Set<Object> sources = SecurityGroups.ingress(template, cacheGroup).stream()
                    .peek(rule -> assertEquals(List.of(6379, 6379), List.of(rule.get("FromPort"), rule.get("ToPort")), rule.toString()))
                    .map(rule -> rule.get("SourceSecurityGroupId")).collect(Collectors.toSet());
            assertEquals(Set.of(Cfn.onlyIdUnder(template, "AWS::EC2::SecurityGroup", "ServiceSecurityGroup"),
                    Cfn.onlyIdUnder(template, "AWS::EC2::SecurityGroup", "Projection")), sources);
            assertEquals(List.of(), SecurityGroups.egress(template, cacheGroup), "the cache opens no connection");
        }
    }

    @Test
    void theServiceAndTheLambdaEachSignInAsTheirOwnUserAndDefaultIsOff() throws Exception {
        Map<String, Map<String, Object>> users = Cfn.ofType(defaults, "AWS::ElastiCache::User").values().stream()
                .map(user -> map(user.get("Properties")))
                .collect(Collectors.toMap(user -> (String) user.get("UserName"), user -> user));
        assertEquals(Set.of("default", "cruddur-messages", "cruddur-messages-projection"), users.keySet());
        assertEquals("off -@all", users.get("default").get("AccessString"));

        List<String> acl = Files.readAllLines(Path.of("../docker/redis-user.acl")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals("service " + users.get("cruddur-messages").get("AccessString"), acl.get(0));
        assertEquals("projection " + users.get("cruddur-messages-projection").get("AccessString"), acl.get(1));
        assertEquals(Map.of("Type", "iam"), users.get("cruddur-messages-projection").get("AuthenticationMode"));
        Map<String, Object> service = map(users.get("cruddur-messages").get("AuthenticationMode"));
        assertEquals("password", service.get("Type"));
        assertTrue(Policies.toJson(service.get("Passwords")).contains("resolve:secretsmanager"),
                "the password is resolved from Secrets Manager at deployment, never in the template: " + service);
        assertTrue(users.get("cruddur-messages").get("AccessString").toString().contains("&cruddur:*"),
                "channels are limited too");

        Map<String, Object> group = Cfn.onlyProperties(defaults, "AWS::ElastiCache::UserGroup");
        assertEquals(3, list(group.get("UserIds")).size());
        assertEquals(group.get("UserGroupId"), Cfn.properties(defaults, cacheId).get("UserGroupId"));
        assertTrue(Policies.toJson(Cfn.map(defaults.toJSON().get("Resources")).get(cacheId))
                .contains(Cfn.onlyId(defaults, "AWS::ElastiCache::UserGroup")), "the cache is created after its users");
        assertEquals(EventCache.accessString(EventCache.SERVICE_RULES), users.get("cruddur-messages").get("AccessString"));
    }

    @Test
    void theLoadBalancerKeepsQuietStreamsOpenAndDrainsQuickly() {
        Map<String, Object> balancer = Cfn.onlyProperties(defaults, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        assertTrue(list(balancer.get("LoadBalancerAttributes")).contains(
                Map.of("Key", "idle_timeout.timeout_seconds", "Value", "120")), balancer.toString());
        Map<String, Object> targets = Cfn.onlyProperties(defaults, "AWS::ElasticLoadBalancingV2::TargetGroup");
        assertTrue(list(targets.get("TargetGroupAttributes")).contains(
                Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "10")), targets.toString());
    }
}
