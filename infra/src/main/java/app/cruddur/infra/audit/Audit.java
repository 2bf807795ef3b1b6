package app.cruddur.infra.audit;

import app.cruddur.infra.table.MessagesTable;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.cloudtrail.CfnTrailProps;
import software.amazon.awscdk.services.config.ManagedRule;
import software.amazon.awscdk.services.config.ManagedRuleIdentifiers;
import software.amazon.awscdk.services.config.ManagedRuleProps;
import software.amazon.awscdk.services.config.ResourceType;
import software.amazon.awscdk.services.config.RuleScope;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Who read or wrote which item, and whether the table keeps its protections:
 * <ul>
 *   <li>a CloudTrail trail of the table's data events (GetItem, Query, PutItem, ...) and of the
 *       region's write management events (DeleteTable, UpdateTable, DisableKey, ...), into an
 *       encrypted, versioned, private bucket, with log file validation. EventBridge sees CloudTrail's
 *       events only while a trail records them, and {@link TrailWatch} watches both kinds;</li>
 *   <li>with {@code configRules}, AWS Config managed rules for point-in-time recovery, encryption
 *       with this key and deletion protection. Off by default: a Config rule needs the account's
 *       configuration recorder, and without one its creation fails the whole stack
 *       ({@code NoAvailableConfigurationRecorderException}), which synthesis cannot see
 *       (docs/deploy.md).</li>
 * </ul>
 */
public final class Audit extends Construct {

    public static final String PITR_RULE = ManagedRuleIdentifiers.DYNAMODB_PITR_ENABLED;
    public static final String KMS_RULE = ManagedRuleIdentifiers.DYNAMODB_TABLE_ENCRYPTED_KMS;
    /** Not (yet) among CDK's ManagedRuleIdentifiers, but an AWS Config managed rule. */
    public static final String DELETION_PROTECTION_RULE = "DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED";

    private final Bucket bucket;
    private final CfnTrail trail;
    private final List<String> configRuleNames = new java.util.ArrayList<>();
    private final String namePrefix;

    public Audit(Construct scope, String id, MessagesTable table, String namePrefix, boolean configRules) {
        super(scope, id);
        this.namePrefix = namePrefix;
        String trailName = namePrefix + "-data-events";
        Stack stack = Stack.of(this);

        bucket = new Bucket(this, "TrailBucket", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());

        // Named, so the bucket policy can name the trail (aws:SourceArn) without a cycle.
        String trailArn = stack.formatArn(ArnComponents.builder()
                .service("cloudtrail")
                .resource("trail")
                .resourceName(trailName)
                .build());
        ServicePrincipal cloudTrail = new ServicePrincipal("cloudtrail.amazonaws.com");
        Map<String, Object> fromThisTrail = Map.of("aws:SourceArn", trailArn);
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("CloudTrailAclCheck")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudTrail))
                .actions(List.of("s3:GetBucketAcl"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringEquals", fromThisTrail))
                .build()));
        bucket.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("CloudTrailWrite")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudTrail))
                .actions(List.of("s3:PutObject"))
                .resources(List.of(bucket.arnForObjects("AWSLogs/" + stack.getAccount() + "/*")))
                .conditions(Map.of("StringEquals", Map.of(
                        "aws:SourceArn", trailArn,
                        "s3:x-amz-acl", "bucket-owner-full-control")))
                .build()));

        // CDK's Trail construct has no DynamoDB data resources, hence the L1 trail with advanced
        // event selectors: data events of this table only, and the write management events (a
        // management selector cannot be narrowed to a service), which EventBridge then passes on.
        trail = new CfnTrail(this, "Trail", CfnTrailProps.builder()
                .trailName(trailName)
                .isLogging(true)
                .s3BucketName(bucket.getBucketName())
                .enableLogFileValidation(true)
                .isMultiRegionTrail(false)
                .includeGlobalServiceEvents(false)
                .advancedEventSelectors(List.of(
                        CfnTrail.AdvancedEventSelectorProperty.builder()
                                .name("Data events of the messages table")
                                .fieldSelectors(List.of(
                                        selector("eventCategory", "Data"),
                                        selector("resources.type", "AWS::DynamoDB::Table"),
                                        selector("resources.ARN", table.tableArn())))
                                .build(),
                        CfnTrail.AdvancedEventSelectorProperty.builder()
                                .name("Write management events")
                                .fieldSelectors(List.of(
                                        selector("eventCategory", "Management"),
                                        selector("readOnly", "false")))
                                .build()))
                .build());
        // CloudTrail checks that it may write to the bucket when the trail is created.
        trail.getNode().addDependency(bucket.getPolicy());

        if (configRules) {
            addConfigRules(table);
        }
    }

    private void addConfigRules(MessagesTable table) {
        RuleScope tables = RuleScope.fromResources(List.of(ResourceType.DYNAMODB_TABLE));
        configRule("PointInTimeRecoveryRule", "pitr-enabled", PITR_RULE, "DynamoDB tables have point-in-time recovery on",
                Map.of(), tables);
        configRule("EncryptionRule", "encrypted-with-key", KMS_RULE,
                "DynamoDB tables are encrypted with the messages table's customer-managed key",
                Map.of("kmsKeyArns", table.key().getKeyArn()), tables);
        configRule("DeletionProtectionRule", "deletion-protection", DELETION_PROTECTION_RULE,
                "DynamoDB tables have deletion protection on", Map.of(), tables);
    }

    /** A managed rule named {@code <prefix>-<name>}, so that TrailWatch can name it. */
    private void configRule(String id, String name, String identifier, String description, Map<String, Object> parameters,
                            RuleScope scope) {
        String ruleName = namePrefix + "-" + name;
        ManagedRuleProps.Builder props = ManagedRuleProps.builder()
                .configRuleName(ruleName)
                .identifier(identifier)
                .description(description)
                .ruleScope(scope);
        if (!parameters.isEmpty()) {
            props.inputParameters(parameters);
        }
        new ManagedRule(this, id, props.build());
        configRuleNames.add(ruleName);
    }

    /** The names of the AWS Config rules, none without {@code configRules}. */
    public List<String> configRuleNames() {
        return List.copyOf(configRuleNames);
    }

    private static CfnTrail.AdvancedFieldSelectorProperty selector(String field, String value) {
        return CfnTrail.AdvancedFieldSelectorProperty.builder().field(field).equalTo(List.of(value)).build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public CfnTrail trail() {
        return trail;
    }
}
