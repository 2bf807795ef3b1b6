package app.cruddur.infra.logs;

import app.cruddur.infra.Access;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.ec2.FlowLog;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogProps;
import software.amazon.awscdk.services.ec2.FlowLogResourceType;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The operational logs AWS delivers to S3: the load balancer's access logs, the VPC's flow logs
 * and the server access logs of the trail bucket, each under its own prefix of one bucket, kept
 * {@link #RETENTION_DAYS} days. The bucket policy is written out, statement by statement, as the
 * rest of the stack's IAM is: each delivery service may put objects only under its prefix and
 * this account's {@code AWSLogs/} path, and is tied to this account's resources.
 *
 * <p>SSE-S3: load balancers deliver access logs only to buckets encrypted with S3-managed keys.
 */
public final class LogBucket extends Construct {

    public static final int RETENTION_DAYS = 90;
    public static final String LOAD_BALANCER_PREFIX = "load-balancer";
    public static final String FLOW_LOG_PREFIX = "vpc-flow-logs/";
    public static final String TRAIL_BUCKET_PREFIX = "s3-access/trail-bucket/";
    public static final String PROJECTION_FAILURES_PREFIX = "s3-access/projection-failures/";

    private final Bucket bucket;
    private final String account;

    public LogBucket(Construct scope, String id) {
        super(scope, id);
        account = Stack.of(this).getAccount();
        bucket = new Bucket(this, "Bucket", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-logs")
                        .expiration(Duration.days(RETENTION_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // Like the trail bucket: logs are evidence, and a non-empty bucket cannot be
                // deleted with the stack anyway. The lifecycle rule empties it within 90 days.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
    }

    /**
     * The load balancer's access logs, under {@link #LOAD_BALANCER_PREFIX}. Written out instead of
     * {@code logAccessLogs}, which grants {@code s3:Abort*} and unconditioned statements to the
     * log delivery service besides the one the load balancer needs.
     */
    public void recordRequestsTo(ApplicationLoadBalancer loadBalancer) {
        String region = Stack.of(this).getRegion();
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("LoadBalancerAccessLogs")
                .effect(Effect.ALLOW)
                .principals(List.of(loadBalancerLogWriter(region)))
                .actions(Access.LOG_DELIVERY_WRITE_ACTIONS)
                .resources(List.of(bucket.arnForObjects(LOAD_BALANCER_PREFIX + "/AWSLogs/" + account + "/*")))
                .build()));
        loadBalancer.setAttribute("access_logs.s3.enabled", "true");
        loadBalancer.setAttribute("access_logs.s3.bucket", bucket.getBucketName());
        loadBalancer.setAttribute("access_logs.s3.prefix", LOAD_BALANCER_PREFIX);
        // The load balancer checks that it may write when access logging is switched on.
        loadBalancer.getNode().addDependency(bucket.getPolicy());
    }

    /**
     * Who writes a load balancer's access logs in {@code region}: Elastic Load Balancing's own
     * account in the regions that have one (those opened before August 2022), its log delivery
     * service principal in the others. Either way the statement's resource is this account's
     * {@code AWSLogs/} path, where a load balancer of another account cannot write.
     */
    public static IPrincipal loadBalancerLogWriter(String region) {
        String elbAccount = RegionInfo.get(region).getElbv2Account();
        return elbAccount != null
                ? new AccountPrincipal(elbAccount)
                : new ServicePrincipal("logdelivery.elasticloadbalancing.amazonaws.com");
    }

    /** All of the VPC's flows (accepted and rejected), under {@link #FLOW_LOG_PREFIX}. */
    public void recordFlowsOf(IVpc vpc) {
        Stack stack = Stack.of(this);
        // Vended logs are delivered by delivery.logs.amazonaws.com for CloudWatch Logs' log
        // deliveries of this account (aws:SourceArn); without these statements EC2 would add its
        // own to the policy, which the next deployment would overwrite.
        Map<String, Object> fromThisAccount = Map.of(
                "StringEquals", Map.of("aws:SourceAccount", account),
                "ArnLike", Map.of("aws:SourceArn", stack.formatArn(ArnComponents.builder()
                        .service("logs")
                        .resource("*")
                        .build())));
        ServicePrincipal delivery = new ServicePrincipal("delivery.logs.amazonaws.com");
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("FlowLogsCheck")
                .effect(Effect.ALLOW)
                .principals(List.of(delivery))
                .actions(Access.LOG_DELIVERY_CHECK_ACTIONS)
                .resources(List.of(bucket.getBucketArn()))
                .conditions(fromThisAccount)
                .build()));
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("FlowLogsWrite")
                .effect(Effect.ALLOW)
                .principals(List.of(delivery))
                .actions(Access.LOG_DELIVERY_WRITE_ACTIONS)
                .resources(List.of(bucket.arnForObjects(FLOW_LOG_PREFIX + "AWSLogs/" + account + "/*")))
                .conditions(Map.of(
                        "StringEquals", Map.of(
                                "aws:SourceAccount", account,
                                "s3:x-amz-acl", "bucket-owner-full-control"),
                        "ArnLike", fromThisAccount.get("ArnLike")))
                .build()));
        FlowLog flowLog = new FlowLog(this, "VpcFlows", FlowLogProps.builder()
                .resourceType(FlowLogResourceType.fromVpc(vpc))
                .destination(FlowLogDestination.toS3(bucket, FLOW_LOG_PREFIX))
                .trafficType(FlowLogTrafficType.ALL)
                .build());
        flowLog.getNode().addDependency(bucket.getPolicy());
    }

    /**
     * The server access logs of {@code source} (who read or wrote which object), under
     * {@code prefix} ({@link #TRAIL_BUCKET_PREFIX}, {@link #PROJECTION_FAILURES_PREFIX}): S3's
     * logging service may write there for that bucket only. Set on the source's CloudFormation
     * resource, as the L2 property would, without the feature flag, switch this bucket to the
     * log-delivery ACL instead of a policy.
     */
    public void recordAccessTo(Bucket source, String prefix, String sid) {
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid(sid)
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("logging.s3.amazonaws.com")))
                .actions(Access.LOG_DELIVERY_WRITE_ACTIONS)
                .resources(List.of(bucket.arnForObjects(prefix + "*")))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", source.getBucketArn()),
                        "StringEquals", Map.of("aws:SourceAccount", account)))
                .build()));
        ((CfnBucket) source.getNode().getDefaultChild()).setLoggingConfiguration(
                CfnBucket.LoggingConfigurationProperty.builder()
                        .destinationBucketName(bucket.getBucketName())
                        .logFilePrefix(prefix)
                        .build());
    }

    public Bucket bucket() {
        return bucket;
    }
}
