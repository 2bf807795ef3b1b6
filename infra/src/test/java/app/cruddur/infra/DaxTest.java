package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** DAX: absent by default; with daxEnabled a three-node encrypted cluster reachable only from the service. */
class DaxTest {

    private static Template off;
    private static Template on;
    private static Template twoZones;
    private static String clusterId;

    @BeforeAll
    static void synthesize() {
        off = Synth.defaults();
        on = Synth.full();
        twoZones = Synth.twoZones();
        clusterId = Cfn.onlyId(on, "AWS::DAX::Cluster");
    }

    @Test
    void isOffByDefault() {
        assertEquals(false, Synth.cdkJsonContext().get("daxEnabled"));
        off.resourceCountIs("AWS::DAX::Cluster", 0);
        off.resourceCountIs("AWS::DAX::SubnetGroup", 0);
        off.resourceCountIs("AWS::DAX::ParameterGroup", 0);
        assertFalse(containerEnvironment(off).containsKey("DAX_ENDPOINT"));
        assertTrue(Policies.all(off).stream().flatMap(s -> s.actions().stream()).noneMatch(a -> a.startsWith("dax:")));
        assertFalse(Cfn.map(off.toJSON().get("Outputs")).containsKey("DaxEndpoint"));
    }

    @Test
    void hasThreeNodesOnePerZoneEncryptedAtRestAndInTransit() {
        on.hasResourceProperties("AWS::DAX::Cluster", Map.of(
                "ClusterName", "cruddur-messages",
                "NodeType", "dax.t3.small",
                "ReplicationFactor", 3,
                "AvailabilityZones", List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"),
                "SSESpecification", Map.of("SSEEnabled", true),
                "ClusterEndpointEncryptionType", "TLS",
                "IAMRoleARN", Cfn.getAtt(LeastPrivilegeTest.daxRole(on), "Arn")));
    }

    @Test
    void cachedQueryAnswersLiveFiveSeconds() {
        String group = Cfn.onlyId(on, "AWS::DAX::ParameterGroup");
        on.hasResourceProperties("AWS::DAX::ParameterGroup", Map.of(
                "ParameterNameValues", Map.of("query-ttl-millis", "5000", "record-ttl-millis", "300000")));
        assertEquals(Map.of("Ref", group), Cfn.onlyProperties(on, "AWS::DAX::Cluster").get("ParameterGroupName"));
    }

    @Test
    void letsDaxSpreadTheNodesInATwoZoneVpc() {
        Map<String, Object> cluster = Cfn.onlyProperties(twoZones, "AWS::DAX::Cluster");
        assertEquals(3, cluster.get("ReplicationFactor"));
        assertFalse(cluster.containsKey("AvailabilityZones"), "a zone list would have to repeat a zone");
    }

    @Test
    void livesInThePrivateSubnets() {
        Map<String, Object> subnetGroup = Cfn.onlyProperties(on, "AWS::DAX::SubnetGroup");
        Set<String> subnets = new TreeSet<>();
        list(subnetGroup.get("SubnetIds")).forEach(s -> subnets.add(Cfn.referencedId(s)));
        assertEquals(new TreeSet<>(Cfn.subnetIds(on, "private")), subnets);
        assertEquals(Cfn.ref(Cfn.onlyId(on, "AWS::DAX::SubnetGroup")),
                Cfn.properties(on, clusterId).get("SubnetGroupName"));
    }

    @Test
    void acceptsOnlyTheServiceOnTheTlsPort() {
        String daxGroup = daxGroup();
        String serviceGroup = MessagesServiceTest.serviceGroup(on);
        assertEquals(List.of(Map.of("IpProtocol", "tcp", "FromPort", 9111, "ToPort", 9111,
                        "SourceSecurityGroupId", serviceGroup)),
                SecurityGroups.ingress(on, daxGroup));
        assertEquals(List.of(), SecurityGroups.egress(on, daxGroup), "the nodes open no connections");
        assertTrue(SecurityGroups.egress(on, serviceGroup).contains(Map.of(
                "IpProtocol", "tcp", "FromPort", 9111, "ToPort", 9111, "DestinationSecurityGroupId", daxGroup)));
    }

    @Test
    void theServiceIsGivenTheDiscoveryEndpoint() {
        assertEquals(Cfn.getAtt(clusterId, "ClusterDiscoveryEndpointURL"), containerEnvironment(on).get("DAX_ENDPOINT"));
        on.hasOutput("DaxEndpoint", Map.of("Value", Cfn.getAtt(clusterId, "ClusterDiscoveryEndpointURL")));
    }

    @Test
    void clusterWaitsForItsRolePolicy() {
        String daxRole = LeastPrivilegeTest.daxRole(on);
        on.hasResource("AWS::DAX::Cluster", Map.of("DependsOn", Match.arrayWith(List.of(daxRole))));
        String policy = Cfn.ofType(on, "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> list(map(e.getValue().get("Properties")).get("Roles")).contains(Cfn.ref(daxRole)))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        on.hasResource("AWS::DAX::Cluster", Map.of("DependsOn", Match.arrayWith(List.of(policy))));
    }

    private static String daxGroup() {
        return Cfn.referencedId(list(Cfn.properties(on, clusterId).get("SecurityGroupIds")).get(0));
    }

    /** The service container's environment, by name. */
    static Map<String, Object> containerEnvironment(Template template) {
        Map<String, Object> environment = new java.util.LinkedHashMap<>();
        Map<String, Object> container = map(list(Cfn.onlyProperties(template, "AWS::ECS::TaskDefinition")
                .get("ContainerDefinitions")).get(0));
        for (Object variable : list(container.get("Environment"))) {
            environment.put((String) map(variable).get("Name"), map(variable).get("Value"));
        }
        return environment;
    }
}
