package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The web firewall in front of the load balancer: a rate per client address on the API (which holds
 * while the service's own limits fail open), AWS's managed rules with those on the body counting
 * only, a log without tokens or tickets, on every configuration.
 */
class FirewallTest {

    private static List<Template> all() {
        return List.of(Synth.defaults(), Synth.full(), Synth.production());
    }

    @Test
    void guardsTheLoadBalancer() {
        for (Template template : all()) {
            Map<String, Object> association = Cfn.onlyProperties(template, "AWS::WAFv2::WebACLAssociation");
            assertEquals(Cfn.ref(Cfn.onlyId(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")),
                    association.get("ResourceArn"));
            assertEquals(Cfn.getAtt(Cfn.onlyId(template, "AWS::WAFv2::WebACL"), "Arn"), association.get("WebACLArn"));
            Map<String, Object> acl = Cfn.onlyProperties(template, "AWS::WAFv2::WebACL");
            assertEquals("REGIONAL", acl.get("Scope"));
            assertEquals("cruddur-messages-api", acl.get("Name"));
            assertEquals(Map.of("Allow", Map.of()), acl.get("DefaultAction"));
        }
    }

    @Test
    void limitsEachAddressOnTheApiAndAnswersLikeTheService() throws Exception {
        Map<String, Object> acl = Cfn.onlyProperties(Synth.defaults(), "AWS::WAFv2::WebACL");
        Map<String, Object> rate = rule(acl, "api-rate-per-address");
        assertEquals(0, rate.get("Priority"), "before the managed rules");
        Map<String, Object> statement = map(map(rate.get("Statement")).get("RateBasedStatement"));
        assertEquals(1500, statement.get("Limit"));
        assertEquals(300, statement.get("EvaluationWindowSec"));
        assertEquals("IP", statement.get("AggregateKeyType"), "the address the load balancer sees, not a header");
        assertEquals(Map.of("ByteMatchStatement", Map.of(
                        "FieldToMatch", Map.of("UriPath", Map.of()),
                        "PositionalConstraint", "STARTS_WITH",
                        "SearchString", "/api/",
                        "TextTransformations", List.of(Map.of("Priority", 0, "Type", "NONE")))),
                statement.get("ScopeDownStatement"));
        Map<String, Object> response = map(map(map(rate.get("Action")).get("Block")).get("CustomResponse"));
        assertEquals(429, response.get("ResponseCode"));
        assertEquals(List.of(Map.of("Name", "Retry-After", "Value", "60")), response.get("ResponseHeaders"));
        Map<String, Object> body = map(map(acl.get("CustomResponseBodies")).get(response.get("CustomResponseBodyKey")));
        assertEquals("APPLICATION_JSON", body.get("ContentType"));
        assertEquals(Map.of("type", "about:blank", "title", "Too Many Requests", "status", 429, "code", "rate_limited"),
                new ObjectMapper().readValue((String) body.get("Content"), Map.class), "the service's problem and code");

        Map<String, Object> configured = Cfn.onlyProperties(Synth.full(), "AWS::WAFv2::WebACL");
        assertTrue(Policies.toJson(rule(configured, "api-rate-per-address")).contains("\"Limit\":1500"));
    }

    @Test
    void appliesAwsManagedRulesAndOnlyCountsThoseThatReadTheBody() {
        Map<String, Object> acl = Cfn.onlyProperties(Synth.defaults(), "AWS::WAFv2::WebACL");
        List<String> groups = new ArrayList<>();
        for (String group : List.of("AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesCommonRuleSet")) {
            Map<String, Object> rule = rule(acl, group);
            assertEquals(Map.of("None", Map.of()), rule.get("OverrideAction"), group + " blocks what it matches");
            Map<String, Object> statement = map(map(rule.get("Statement")).get("ManagedRuleGroupStatement"));
            assertEquals("AWS", statement.get("VendorName"));
            groups.add((String) statement.get("Name"));
        }
        assertEquals(4, list(acl.get("Rules")).size());
        // A message is up to 64 KiB of free text: the common rule set's body rules (8 KB, scripts,
        // paths, addresses) would block people writing about HTML or paths. They count only.
        Map<String, Object> common = map(map(rule(acl, "AWSManagedRulesCommonRuleSet").get("Statement"))
                .get("ManagedRuleGroupStatement"));
        List<String> counted = new ArrayList<>();
        for (Object override : list(common.get("RuleActionOverrides"))) {
            assertEquals(Map.of("Count", Map.of()), map(override).get("ActionToUse"));
            counted.add((String) map(override).get("Name"));
        }
        assertEquals(List.of("SizeRestrictions_BODY", "CrossSiteScripting_BODY", "GenericLFI_BODY", "GenericRFI_BODY",
                "EC2MetaDataSSRF_BODY"), counted);
        for (Object rule : list(acl.get("Rules"))) {
            Map<String, Object> visibility = map(map(rule).get("VisibilityConfig"));
            assertEquals(true, visibility.get("CloudWatchMetricsEnabled"), "each rule has its metrics");
            assertEquals(map(rule).get("Name"), visibility.get("MetricName"), "named as the rule, which the alarm uses");
        }
    }

    @Test
    void logsOnlyWhatItBlockedOrCountedWithoutTokensOrTickets() {
        for (Template template : all()) {
            Map<String, Object> logging = Cfn.onlyProperties(template, "AWS::WAFv2::LoggingConfiguration");
            assertEquals(List.of(Map.of("SingleHeader", Map.of("Name", "authorization")), Map.of("QueryString", Map.of())),
                    logging.get("RedactedFields"), "the bearer token and an event stream's ticket");
            assertEquals(Map.of("DefaultBehavior", "DROP", "Filters", List.of(Map.of(
                            "Behavior", "KEEP",
                            "Requirement", "MEETS_ANY",
                            "Conditions", List.of(
                                    Map.of("ActionCondition", Map.of("Action", "BLOCK")),
                                    Map.of("ActionCondition", Map.of("Action", "COUNT")))))),
                    logging.get("LoggingFilter"));
            String group = Cfn.onlyIdUnder(template, "AWS::Logs::LogGroup", "FirewallLogs");
            assertEquals("aws-waf-logs-cruddur-messages-api", Cfn.properties(template, group).get("LogGroupName"),
                    "WAF logs only to groups named aws-waf-logs-*");
            assertTrue(Policies.toJson(logging.get("LogDestinationConfigs"))
                    .contains(":log-group:aws-waf-logs-cruddur-messages-api\""), logging.toString());
        }
    }

    private static Map<String, Object> rule(Map<String, Object> acl, String name) {
        for (Object rule : list(acl.get("Rules"))) {
            if (name.equals(map(rule).get("Name"))) {
                return map(rule);
            }
        }
        throw new AssertionError("no rule " + name);
    }
}
