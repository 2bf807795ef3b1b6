package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.logs.LogBucket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/** The log bucket: load balancer access logs, VPC flow logs, the trail bucket's access logs. */
class LogBucketTest {

    private static final String ACCOUNT_LOGS = "/AWSLogs/123456789012/*";

    private static Template template;
    private static String bucket;
    private static String policy;

    @BeforeAll
    static void synthesize() {
        template = Synth.defaults();
        // The bucket the flow log writes to.
        Map<String, Object> flowLog = Cfn.onlyProperties(template, "AWS::EC2::FlowLog");
        bucket = Cfn.referencedId(list(map(flowLog.get("LogDestination")).get("Fn::Join")).stream()
                .skip(1).findFirst().map(parts -> list(parts).get(0)).orElseThrow());
        assertEquals("AWS::S3::Bucket", Cfn.typeOf(template, bucket));
        policy = Cfn.ofType(template, "AWS::S3::BucketPolicy").entrySet().stream()
                .filter(e -> Cfn.ref(bucket).equals(map(e.getValue().get("Properties")).get("Bucket")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @Test
    void isPrivateEncryptedWithS3KeysAndExpiresLogsAfterNinetyDays() {
        Map<String, Object> properties = Cfn.properties(template, bucket);
        // Load balancers deliver only to buckets under S3-managed keys.
        assertEquals(Map.of("ServerSideEncryptionConfiguration", List.of(
                        Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                properties.get("BucketEncryption"));
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                properties.get("PublicAccessBlockConfiguration"));
        assertEquals(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                properties.get("OwnershipControls"));
        assertEquals(Map.of("Rules", List.of(Map.of(
                        "Id", "expire-logs",
                        "ExpirationInDays", 90,
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                        "Status", "Enabled"))),
                properties.get("LifecycleConfiguration"));
        assertEquals("Retain", map(Cfn.resources(template).get(bucket)).get("DeletionPolicy"));
    }

    @Test
    void policyLetsEachDeliveryWriteOnlyUnderItsPrefixAndRequiresTls() {
        Map<String, Object> bucketArn = Cfn.getAtt(bucket, "Arn");
        String trailBucket = Cfn.referencedId(Cfn.onlyProperties(template, "AWS::CloudTrail::Trail").get("S3BucketName"));
        String failureBucket = Cfn.onlyIdUnder(template, "AWS::S3::Bucket", "ProjectionFailureBucket");
        Map<String, Object> logsOfThisAccount = Map.of("aws:SourceArn", Map.of("Fn::Join", List.of("", List.of(
                "arn:", Map.of("Ref", "AWS::Partition"), ":logs:eu-west-1:123456789012:*"))));
        List<Map<String, Object>> expected = List.of(
                Map.of("Sid", "", "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))),
                // eu-west-1 opened before August 2022: Elastic Load Balancing's account there writes.
                Map.of("Sid", "LoadBalancerAccessLogs", "Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("AWS", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":iam::156460612806:root")))),
                        "Resource", objects(bucketArn, "load-balancer" + ACCOUNT_LOGS)),
                Map.of("Sid", "FlowLogsCheck", "Effect", "Allow", "Action", List.of("s3:GetBucketAcl", "s3:ListBucket"),
                        "Principal", Map.of("Service", "delivery.logs.amazonaws.com"),
                        "Resource", bucketArn,
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                                "ArnLike", logsOfThisAccount)),
                Map.of("Sid", "FlowLogsWrite", "Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("Service", "delivery.logs.amazonaws.com"),
                        "Resource", objects(bucketArn, "vpc-flow-logs" + ACCOUNT_LOGS),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012",
                                        "s3:x-amz-acl", "bucket-owner-full-control"),
                                "ArnLike", logsOfThisAccount)),
                Map.of("Sid", "TrailBucketAccessLogs", "Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("Service", "logging.s3.amazonaws.com"),
                        "Resource", objects(bucketArn, "s3-access/trail-bucket/*"),
                        "Condition", Map.of(
                                "ArnLike", Map.of("aws:SourceArn", Cfn.getAtt(trailBucket, "Arn")),
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012"))),
                Map.of("Sid", "ProjectionFailuresAccessLogs", "Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("Service", "logging.s3.amazonaws.com"),
                        "Resource", objects(bucketArn, "s3-access/projection-failures/*"),
                        "Condition", Map.of(
                                "ArnLike", Map.of("aws:SourceArn", Cfn.getAtt(failureBucket, "Arn")),
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012"))));
        List<Map<String, Object>> statements = list(map(Cfn.properties(template, policy).get("PolicyDocument"))
                .get("Statement")).stream().map(s -> withoutResourceOfDeny(map(s))).toList();
        assertEquals(expected.size(), statements.size(), statements.toString());
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> want = new LinkedHashMap<>(expected.get(i));
            if ("".equals(want.get("Sid"))) {
                want.remove("Sid");
            }
            assertEquals(want, statements.get(i), "statement " + i);
        }
    }

    @Test
    void loadBalancerWritesItsAccessLogsOnceThePolicyAllowsIt() {
        String loadBalancer = Cfn.onlyId(template, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        List<Object> attributes = list(Cfn.properties(template, loadBalancer).get("LoadBalancerAttributes"));
        assertTrue(attributes.contains(Map.of("Key", "access_logs.s3.enabled", "Value", "true")), attributes.toString());
        assertTrue(attributes.contains(Map.of("Key", "access_logs.s3.bucket", "Value", Cfn.ref(bucket))), attributes.toString());
        assertTrue(attributes.contains(Map.of("Key", "access_logs.s3.prefix", "Value", "load-balancer")), attributes.toString());
        assertTrue(list(map(Cfn.resources(template).get(loadBalancer)).get("DependsOn")).contains(policy),
                "the load balancer checks its permission when logging is switched on");
    }

    @Test
    void flowLogRecordsAllTheVpcsTraffic() {
        String flowLog = Cfn.onlyId(template, "AWS::EC2::FlowLog");
        Map<String, Object> properties = Cfn.properties(template, flowLog);
        assertEquals("VPC", properties.get("ResourceType"));
        assertEquals(Cfn.ref(Cfn.onlyId(template, "AWS::EC2::VPC")), properties.get("ResourceId"));
        assertEquals("ALL", properties.get("TrafficType"));
        assertEquals("s3", properties.get("LogDestinationType"));
        assertEquals(Map.of("Fn::Join", List.of("", List.of(Cfn.getAtt(bucket, "Arn"), "/vpc-flow-logs/"))),
                properties.get("LogDestination"));
        assertEquals(List.of(policy), map(Cfn.resources(template).get(flowLog)).get("DependsOn"));
        // Delivered to S3 by the log delivery service: no role for it.
        assertEquals(null, properties.get("DeliverLogsPermissionArn"));
        Synth.full().resourceCountIs("AWS::EC2::FlowLog", 1);
    }

    @Test
    void loadBalancerLogsAreWrittenByTheRegionsLoadBalancerAccountOrByItsService() {
        IPrincipal older = LogBucket.loadBalancerLogWriter("eu-west-1");
        assertEquals(AccountPrincipal.class, older.getClass());
        assertEquals("156460612806", ((AccountPrincipal) older).getAccountId());
        IPrincipal newer = LogBucket.loadBalancerLogWriter("ap-east-2");
        assertEquals(ServicePrincipal.class, newer.getClass(), "a region opened after August 2022 has no such account");
        assertEquals("logdelivery.elasticloadbalancing.amazonaws.com", ((ServicePrincipal) newer).getService());
    }

    private static Map<String, Object> objects(Map<String, Object> bucketArn, String key) {
        return Map.of("Fn::Join", List.of("", List.of(bucketArn, "/" + key)));
    }

    /** The TLS statement covers the bucket and its objects; its resources are CDK's, not this test's. */
    private static Map<String, Object> withoutResourceOfDeny(Map<String, Object> statement) {
        Map<String, Object> copy = new LinkedHashMap<>(statement);
        if ("Deny".equals(copy.get("Effect"))) {
            copy.remove("Resource");
        }
        return copy;
    }
}
