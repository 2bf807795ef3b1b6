package app.cruddur.infra.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfiguration;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfigurationProps;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociationProps;
import software.amazon.awscdk.services.wafv2.CfnWebACLProps;
import software.constructs.Construct;

/**
 * The web firewall (AWS WAF) in front of the load balancer: a per-address rate limit on the API,
 * which holds when the service's own limits fail open (Valkey down), and AWS's managed rule groups
 * against addresses with a bad reputation, known bad inputs and common attacks.
 *
 * <p>The common rule set's rules on the request body only count: a message is free text of up to
 * 64 KiB, which the size rule (8 KB) and the cross-site scripting, file inclusion and SSRF patterns
 * would block whenever someone writes about HTML, paths or addresses, and the service stores and
 * returns text without interpreting it. Their matches are still in the metrics and the log.
 *
 * <p>The log keeps only requests blocked or counted by a rule, without the Authorization header
 * (the bearer token) and the query string (an event stream's ticket).
 */
public final class Firewall extends Construct {

    public static final String RATE_RULE = "api-rate-per-address";
    public static final String IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList";
    public static final String KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
    public static final String COMMON = "AWSManagedRulesCommonRuleSet";
    /** The common rule set's rules that only count: they read the body, a message's free text. */
    public static final List<String> COUNTED_BODY_RULES = List.of("SizeRestrictions_BODY", "CrossSiteScripting_BODY",
            "GenericLFI_BODY", "GenericRFI_BODY", "EC2MetaDataSSRF_BODY");
    /** The window of the rate rule, in seconds (WAF's default). */
    public static final int RATE_WINDOW_SECONDS = 300;
    /** How long a client over the rate is asked to wait (WAF re-evaluates the rate continuously). */
    public static final int RETRY_AFTER_SECONDS = 60;
    /** The answer to a client over the rate, shaped like the service's own 429. */
    public static final String RATE_LIMITED_BODY =
            "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"code\":\"rate_limited\"}";

    private final CfnWebACL webAcl;
    private final String name;
    private final LogGroup logGroup;

    public Firewall(Construct scope, String id, String namePrefix, ApplicationLoadBalancer loadBalancer, int rateLimit) {
        super(scope, id);
        name = namePrefix + "-api";

        List<CfnWebACL.RuleProperty> rules = new ArrayList<>();
        rules.add(CfnWebACL.RuleProperty.builder()
                .name(RATE_RULE)
                .priority(0)
                .statement(CfnWebACL.StatementProperty.builder()
                        .rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
                                .limit(rateLimit)
                                .evaluationWindowSec(RATE_WINDOW_SECONDS)
                                .aggregateKeyType("IP")
                                .scopeDownStatement(CfnWebACL.StatementProperty.builder()
                                        .byteMatchStatement(CfnWebACL.ByteMatchStatementProperty.builder()
                                                .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder().uriPath(Map.of()).build())
                                                .positionalConstraint("STARTS_WITH")
                                                .searchString("/api/")
                                                .textTransformations(List.of(CfnWebACL.TextTransformationProperty.builder()
                                                        .priority(0).type("NONE").build()))
                                                .build())
                                        .build())
                                .build())
                        .build())
                .action(CfnWebACL.RuleActionProperty.builder()
                        .block(CfnWebACL.BlockActionProperty.builder()
                                .customResponse(CfnWebACL.CustomResponseProperty.builder()
                                        .responseCode(429)
                                        .customResponseBodyKey("rate-limited")
                                        .responseHeaders(List.of(CfnWebACL.CustomHTTPHeaderProperty.builder()
                                                .name("Retry-After").value(Integer.toString(RETRY_AFTER_SECONDS)).build()))
                                        .build())
                                .build())
                        .build())
                .visibilityConfig(visibility(RATE_RULE))
                .build());
        rules.add(managed(IP_REPUTATION, 1, List.of()));
        rules.add(managed(KNOWN_BAD_INPUTS, 2, List.of()));
        rules.add(managed(COMMON, 3, COUNTED_BODY_RULES));

        webAcl = new CfnWebACL(this, "WebAcl", CfnWebACLProps.builder()
                .name(name)
                .description("Cruddur Messages API: a rate per address and AWS managed rules")
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .customResponseBodies(Map.of("rate-limited", CfnWebACL.CustomResponseBodyProperty.builder()
                        .contentType("APPLICATION_JSON")
                        .content(RATE_LIMITED_BODY)
                        .build()))
                .rules(rules)
                .visibilityConfig(visibility(name))
                .build());

        new CfnWebACLAssociation(this, "LoadBalancer", CfnWebACLAssociationProps.builder()
                .resourceArn(loadBalancer.getLoadBalancerArn())
                .webAclArn(webAcl.getAttrArn())
                .build());

        // WAF logs only to a group whose name starts with aws-waf-logs-.
        String logGroupName = "aws-waf-logs-" + name;
        logGroup = new LogGroup(this, "Logs", LogGroupProps.builder()
                .logGroupName(logGroupName)
                .retention(RetentionDays.THREE_MONTHS)
                // A fixed name: a retained group would collide with the retry of a failed first creation.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());
        String logGroupArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .resourceName(logGroupName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        CfnLoggingConfiguration logging = new CfnLoggingConfiguration(this, "Logging", CfnLoggingConfigurationProps.builder()
                .resourceArn(webAcl.getAttrArn())
                .logDestinationConfigs(List.of(logGroupArn))
                .redactedFields(List.of(
                        CfnLoggingConfiguration.FieldToMatchProperty.builder()
                                .singleHeader(Map.of("Name", "authorization")).build(),
                        CfnLoggingConfiguration.FieldToMatchProperty.builder().queryString(Map.of()).build()))
                .loggingFilter(Map.of(
                        "DefaultBehavior", "DROP",
                        "Filters", List.of(Map.of(
                                "Behavior", "KEEP",
                                "Requirement", "MEETS_ANY",
                                "Conditions", List.of(
                                        Map.of("ActionCondition", Map.of("Action", "BLOCK")),
                                        Map.of("ActionCondition", Map.of("Action", "COUNT")))))))
                .build());
        logging.addDependency((software.amazon.awscdk.CfnResource) logGroup.getNode().getDefaultChild());
    }

    /** A managed rule group of AWS, each of {@code counted} only counting. */
    private static CfnWebACL.RuleProperty managed(String group, int priority, List<String> counted) {
        List<Object> overrides = counted.stream()
                .map(rule -> CfnWebACL.RuleActionOverrideProperty.builder()
                        .name(rule)
                        .actionToUse(CfnWebACL.RuleActionProperty.builder().count(CfnWebACL.CountActionProperty.builder().build()).build())
                        .build())
                .map(Object.class::cast)
                .toList();
        CfnWebACL.ManagedRuleGroupStatementProperty.Builder statement = CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                .vendorName("AWS")
                .name(group);
        if (!overrides.isEmpty()) {
            statement.ruleActionOverrides(overrides);
        }
        return CfnWebACL.RuleProperty.builder()
                .name(group)
                .priority(priority)
                .statement(CfnWebACL.StatementProperty.builder().managedRuleGroupStatement(statement.build()).build())
                .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
                .visibilityConfig(visibility(group))
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metricName) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .cloudWatchMetricsEnabled(true)
                .sampledRequestsEnabled(true)
                .metricName(metricName)
                .build();
    }

    /** The web ACL's name, which its CloudWatch metrics carry as the dimension {@code WebACL}. */
    public String name() {
        return name;
    }

    public CfnWebACL webAcl() {
        return webAcl;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    /** The log group's name ({@code aws-waf-logs-<name>}). */
    public String logGroupName() {
        return "aws-waf-logs-" + name;
    }
}
