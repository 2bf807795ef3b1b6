package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The VPC, its NAT gateways and the DynamoDB gateway endpoint with its policy. */
class NetworkTest {

    private static Template defaults;
    private static Template full;
    private static Template twoZones;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
        twoZones = Synth.twoZones();
    }

    @Test
    void spansThreeZonesByDefaultWithAPublicAndAPrivateSubnetInEach() {
        assertEquals(Set.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), zonesOf(defaults, "public"));
        assertEquals(Set.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), zonesOf(defaults, "private"));
        defaults.resourceCountIs("AWS::EC2::Subnet", 6);
        defaults.resourceCountIs("AWS::EC2::VPC", 1);
    }

    @Test
    void spansTheZonesGivenInTheContext() {
        assertEquals(Set.of("eu-west-1a", "eu-west-1b"), zonesOf(twoZones, "public"));
        assertEquals(Set.of("eu-west-1a", "eu-west-1b"), zonesOf(twoZones, "private"));
        twoZones.resourceCountIs("AWS::EC2::Subnet", 4);
    }

    @Test
    void privateSubnetsHaveNoPublicAddresses() {
        for (String subnet : Cfn.subnetIds(defaults, "private")) {
            assertEquals(false, Cfn.properties(defaults, subnet).get("MapPublicIpOnLaunch"), subnet);
        }
    }

    @Test
    void natGatewayCountComesFromTheContextAndDefaultsToOne() {
        defaults.resourceCountIs("AWS::EC2::NatGateway", 1);
        twoZones.resourceCountIs("AWS::EC2::NatGateway", 2);
        full.resourceCountIs("AWS::EC2::NatGateway", 3);
    }

    @Test
    void privateSubnetsLeaveThroughNat() {
        for (Template template : List.of(defaults, twoZones)) {
            Set<String> privateTables = routeTablesOf(template, "private");
            int natRoutes = 0;
            for (Map<String, Object> route : Cfn.ofType(template, "AWS::EC2::Route").values()) {
                Map<String, Object> properties = map(route.get("Properties"));
                if (privateTables.contains(Cfn.referencedId(properties.get("RouteTableId")))) {
                    assertEquals("0.0.0.0/0", properties.get("DestinationCidrBlock"));
                    assertEquals("AWS::EC2::NatGateway",
                            Cfn.typeOf(template, Cfn.referencedId(properties.get("NatGatewayId"))));
                    natRoutes++;
                }
            }
            assertEquals(privateTables.size(), natRoutes, "a default route via NAT per private subnet");
        }
    }

    @Test
    void dynamoDbGatewayEndpointServesThePrivateRouteTables() {
        for (Template template : List.of(defaults, twoZones)) {
            Map<String, Object> endpoint = Cfn.properties(template, Cfn.onlyIdUnder(template, "AWS::EC2::VPCEndpoint",
                    "NetworkVpcDynamoDb"));
            assertEquals("Gateway", endpoint.get("VpcEndpointType"));
            assertEquals(Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".dynamodb"))),
                    endpoint.get("ServiceName"));
            Set<String> attached = new TreeSet<>();
            list(endpoint.get("RouteTableIds")).forEach(r -> attached.add(Cfn.referencedId(r)));
            assertEquals(routeTablesOf(template, "private"), attached);
        }
    }

    @Test
    void anS3GatewayEndpointLetsThroughOnlyTheImageLayers() {
        for (Template template : List.of(defaults, twoZones)) {
            Map<String, Object> endpoint = Cfn.properties(template, Cfn.onlyIdUnder(template, "AWS::EC2::VPCEndpoint",
                    "NetworkVpcS3"));
            assertEquals("Gateway", endpoint.get("VpcEndpointType"));
            assertEquals(Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".s3"))),
                    endpoint.get("ServiceName"));
            Set<String> attached = new TreeSet<>();
            list(endpoint.get("RouteTableIds")).forEach(r -> attached.add(Cfn.referencedId(r)));
            assertEquals(routeTablesOf(template, "private"), attached);
            assertEquals(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                            "Effect", "Allow",
                            "Principal", Map.of("AWS", "*"),
                            "Action", "s3:GetObject",
                            "Resource", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                    ":s3:::prod-", Map.of("Ref", "AWS::Region"), "-starport-layer-bucket/*")))))),
                    endpoint.get("PolicyDocument"), "ECR's layers of the region, nothing else");
        }
    }

    @Test
    void endpointPolicyLetsThroughOnlyTheTableCalls() {
        String tableId = Cfn.messagesTable(defaults);
        defaults.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of(
                "PolicyDocument", Map.of(
                        "Version", "2012-10-17",
                        "Statement", List.of(Map.of(
                                "Effect", "Allow",
                                "Principal", Map.of("AWS", "*"),
                                "Action", List.of("dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable",
                                        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
                                "Resource", List.of(
                                        Cfn.getAtt(tableId, "Arn"),
                                        Map.of("Fn::Join", List.of("", List.of(Cfn.getAtt(tableId, "Arn"),
                                                "/index/message-group-sk-index"))),
                                        // The key table: without it the service could not read a conversation's key.
                                        Cfn.getAtt(Cfn.onlyIdUnder(defaults, "AWS::DynamoDB::Table", "KeysTable"), "Arn")))))));
    }

    @Test
    void usesAFixedAddressRange() {
        defaults.hasResourceProperties("AWS::EC2::VPC", Match.objectLike(Map.of(
                "CidrBlock", "10.20.0.0/16",
                "EnableDnsHostnames", true,
                "EnableDnsSupport", true)));
    }

    private static Set<String> zonesOf(Template template, String kind) {
        Set<String> zones = new TreeSet<>();
        for (String subnet : Cfn.subnetIds(template, kind)) {
            zones.add((String) Cfn.properties(template, subnet).get("AvailabilityZone"));
        }
        assertEquals(zones.size(), Cfn.subnetIds(template, kind).size(), "one " + kind + " subnet per zone");
        return zones;
    }

    static Set<String> routeTablesOf(Template template, String kind) {
        List<String> subnets = new ArrayList<>(Cfn.subnetIds(template, kind));
        Set<String> tables = new TreeSet<>();
        for (Map<String, Object> association : Cfn.ofType(template, "AWS::EC2::SubnetRouteTableAssociation").values()) {
            Map<String, Object> properties = map(association.get("Properties"));
            if (subnets.contains(Cfn.referencedId(properties.get("SubnetId")))) {
                tables.add(Cfn.referencedId(properties.get("RouteTableId")));
            }
        }
        return tables;
    }
}
