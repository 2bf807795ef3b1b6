package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code -c production=true}, synthesized with only what it requires (a certificate, an alarm
 * address, the prefix list): the posture it sets shows in the template. What it refuses without them
 * is StackSettingsTest's.
 */
class ProductionTest {

    private static Template production() {
        return Synth.production();
    }

    @Test
    void servesHttpsAndRedirectsHttp() {
        Template template = production();
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 443, "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", Synth.CERTIFICATE_ARN))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80, "Protocol", "HTTP",
                "DefaultActions", List.of(Map.of("Type", "redirect", "RedirectConfig", Map.of(
                        "Port", "443", "Protocol", "HTTPS", "StatusCode", "HTTP_301")))));
    }

    @Test
    void notifiesTheAlarmAddress() {
        production().hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", Synth.ALARM_EMAIL));
    }

    @Test
    void survivesAZoneWithANatGatewayPerZoneAndAMultiAzDatabase() {
        Template template = production();
        template.resourceCountIs("AWS::EC2::NatGateway", 3);
        Map<String, Object> database = Cfn.onlyProperties(template, "AWS::RDS::DBInstance");
        assertEquals(true, database.get("MultiAZ"));
        // 6 tasks × 22 connections + 10: db.t4g.small (about 192).
        assertEquals("db.t4g.small", database.get("DBInstanceClass"));
    }

    @Test
    void limitsTheLambdasEgressToDynamoDb() {
        Template template = production();
        String group = Cfn.referencedId(list(map(Cfn.properties(template, Cfn.onlyIdUnder(template, "AWS::Lambda::Function", "ProjectionFunction")).get("VpcConfig"))
                .get("SecurityGroupIds")).get(0));
        assertTrue(SecurityGroups.egress(template, group).stream()
                        .anyMatch(rule -> Synth.PREFIX_LIST.equals(rule.get("DestinationPrefixListId"))),
                "HTTPS to DynamoDB's prefix list only");
        assertTrue(SecurityGroups.egress(template, group).stream().noneMatch(rule -> "0.0.0.0/0".equals(rule.get("CidrIp"))));
    }

    @Test
    void pullsTheImagesLayersThroughTheS3Endpoint() {
        assertEquals(2, Cfn.ofType(production(), "AWS::EC2::VPCEndpoint").size(), "DynamoDB's and S3's");
    }
}
