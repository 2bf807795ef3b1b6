package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** CloudTrail data events of the table, and the AWS Config rules on its protections. */
class AuditTest {

    private static final Map<String, Object> TRAIL_ARN = Map.of("Fn::Join", List.of("", List.of(
            "arn:", Map.of("Ref", "AWS::Partition"),
            ":cloudtrail:eu-west-1:123456789012:trail/cruddur-messages-data-events")));

    private static Template template;
    private static String tableId;
    private static String keyId;
    private static String bucketId;

    @BeforeAll
    static void synthesize() {
        template = Synth.defaults();
        tableId = Cfn.messagesTable(template);
        keyId = Cfn.keyWithAlias(template, "alias/cruddur-messages-table");
        // The trail's bucket (the other one is the log bucket, LogBucketTest).
        bucketId = Cfn.referencedId(Cfn.onlyProperties(template, "AWS::CloudTrail::Trail").get("S3BucketName"));
        assertEquals("AWS::S3::Bucket", Cfn.typeOf(template, bucketId));
    }

    @Test
    void trailRecordsTheTablesDataEventsAndTheWriteManagementEvents() {
        template.resourceCountIs("AWS::CloudTrail::Trail", 1);
        // The management events (DeleteTable, DisableKey, ...) for TrailWatch: EventBridge sees
        // CloudTrail's events only while a trail records them. Writes only: reads are most of them.
        template.hasResourceProperties("AWS::CloudTrail::Trail", Map.of(
                "TrailName", "cruddur-messages-data-events",
                "IsLogging", true,
                "EnableLogFileValidation", true,
                "S3BucketName", Cfn.ref(bucketId),
                "AdvancedEventSelectors", List.of(
                        Map.of("Name", "Data events of the messages table", "FieldSelectors", List.of(
                                Map.of("Field", "eventCategory", "Equals", List.of("Data")),
                                Map.of("Field", "resources.type", "Equals", List.of("AWS::DynamoDB::Table")),
                                Map.of("Field", "resources.ARN", "Equals", List.of(Cfn.getAtt(tableId, "Arn"))))),
                        Map.of("Name", "Write management events", "FieldSelectors", List.of(
                                Map.of("Field", "eventCategory", "Equals", List.of("Management")),
                                Map.of("Field", "readOnly", "Equals", List.of("false")))))));
        // Advanced and basic selectors exclude each other; the basic ones would add management events.
        assertEquals(null, Cfn.onlyProperties(template, "AWS::CloudTrail::Trail").get("EventSelectors"));
    }

    @Test
    void trailWaitsForTheBucketPolicy() {
        template.hasResource("AWS::CloudTrail::Trail", Map.of("DependsOn", List.of(policyOf(bucketId))));
    }

    @Test
    void bucketIsEncryptedPrivateVersionedAndRetained() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(
                        Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced")))));
        assertEquals("Retain", Cfn.map(Cfn.resources(template).get(bucketId)).get("DeletionPolicy"));
    }

    @Test
    void bucketAccessIsLoggedToTheLogBucket() {
        String logBucket = Cfn.onlyIdUnder(template, "AWS::S3::Bucket", "LogsBucket");
        assertEquals(Map.of("DestinationBucketName", Cfn.ref(logBucket), "LogFilePrefix", "s3-access/trail-bucket/"),
                Cfn.properties(template, bucketId).get("LoggingConfiguration"));
    }

    /** The logical id of the policy of the bucket {@code bucket}. */
    private static String policyOf(String bucket) {
        List<String> policies = Cfn.ofType(template, "AWS::S3::BucketPolicy").entrySet().stream()
                .filter(e -> Cfn.ref(bucket).equals(Cfn.map(e.getValue().get("Properties")).get("Bucket")))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, policies.size(), "policies of " + bucket);
        return policies.get(0);
    }

    @Test
    void bucketPolicyEnforcesTlsAndLetsOnlyThisTrailWrite() {
        Map<String, Object> bucketArn = Cfn.getAtt(bucketId, "Arn");
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Cfn.ref(bucketId),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Effect", "Deny",
                                "Action", "s3:*",
                                "Principal", Map.of("AWS", "*"),
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))),
                        Map.of("Effect", "Allow",
                                "Action", "s3:GetBucketAcl",
                                "Principal", Map.of("Service", "cloudtrail.amazonaws.com"),
                                "Resource", bucketArn,
                                "Condition", Map.of("StringEquals", Map.of("aws:SourceArn", TRAIL_ARN))),
                        Map.of("Effect", "Allow",
                                "Action", "s3:PutObject",
                                "Principal", Map.of("Service", "cloudtrail.amazonaws.com"),
                                "Resource", Map.of("Fn::Join", List.of("", List.of(bucketArn,
                                        "/AWSLogs/123456789012/*"))),
                                "Condition", Map.of("StringEquals", Map.of(
                                        "aws:SourceArn", TRAIL_ARN,
                                        "s3:x-amz-acl", "bucket-owner-full-control")))))));
    }

    @Test
    void configRulesWatchRecoveryEncryptionAndDeletionProtectionWhenAskedFor() {
        // Off by default: without the account's configuration recorder they would fail the stack's creation.
        template.resourceCountIs("AWS::Config::ConfigRule", 0);
        Template template = Synth.production();
        String keyId = Cfn.keyWithAlias(template, "alias/cruddur-messages-table");
        template.resourceCountIs("AWS::Config::ConfigRule", 3);
        Map<String, Object> tables = Map.of("ComplianceResourceTypes", List.of("AWS::DynamoDB::Table"));
        template.hasResourceProperties("AWS::Config::ConfigRule", Map.of(
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "DYNAMODB_PITR_ENABLED"),
                "Scope", tables));
        template.hasResourceProperties("AWS::Config::ConfigRule", Map.of(
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "DYNAMODB_TABLE_ENCRYPTED_KMS"),
                "InputParameters", Map.of("kmsKeyArns", Cfn.getAtt(keyId, "Arn")),
                "Scope", tables));
        template.hasResourceProperties("AWS::Config::ConfigRule", Map.of(
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED"),
                "Scope", tables));
        // The recorder is the account's (see README): the stack does not create one.
        template.resourceCountIs("AWS::Config::ConfigurationRecorder", 0);
    }
}
