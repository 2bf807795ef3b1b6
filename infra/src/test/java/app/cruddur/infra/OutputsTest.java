package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** What a deployment prints for the people and pipelines that use it. */
class OutputsTest {

    private static Template defaults;
    private static Template full;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
    }

    @Test
    void namesTheEndpointsAndIdentifiers() {
        assertEquals(Set.of("LoadBalancerDnsName", "TableName", "TableStreamArn", "UserPoolId", "UserPoolClientId",
                "ProjectionFailureQueueUrl", "ProjectionFailureBucketName", "AlarmTopicArn", "DatabaseEndpoint",
                "DatabaseSecretArn", "DatabaseKeyArn", "EventCacheEndpoint", "KeyTableName", "TextsKeyArn"),
                Cfn.map(defaults.toJSON().get("Outputs")).keySet());
        // An existing database and pool: nothing to print about either.
        assertEquals(Set.of("LoadBalancerDnsName", "TableName", "TableStreamArn", "UserPoolId", "UserPoolClientId",
                "ProjectionFailureQueueUrl", "ProjectionFailureBucketName", "AlarmTopicArn", "DaxEndpoint",
                "EventCacheEndpoint", "KeyTableName", "TextsKeyArn"),
                Cfn.map(full.toJSON().get("Outputs")).keySet());
    }

    @Test
    void outputsPointAtTheResources() {
        String tableId = Cfn.messagesTable(defaults);
        defaults.hasOutput("LoadBalancerDnsName", Map.of("Value",
                Cfn.getAtt(Cfn.onlyId(defaults, "AWS::ElasticLoadBalancingV2::LoadBalancer"), "DNSName")));
        defaults.hasOutput("TableName", Map.of("Value", Cfn.ref(tableId)));
        defaults.hasOutput("TableStreamArn", Map.of("Value", Cfn.getAtt(tableId, "StreamArn")));
        defaults.hasOutput("KeyTableName", Map.of("Value", Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::DynamoDB::Table", "KeysTable"))));
        defaults.hasOutput("TextsKeyArn", Map.of("Value", Cfn.getAtt(LeastPrivilegeTest.textsKey(defaults), "Arn")));
        defaults.hasOutput("ProjectionFailureQueueUrl", Map.of("Value",
                Cfn.ref(Cfn.onlyId(defaults, "AWS::SQS::Queue"))));
        defaults.hasOutput("ProjectionFailureBucketName", Map.of("Value",
                Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::S3::Bucket", "ProjectionFailureBucket"))));
        for (Template template : List.of(defaults, full)) {
            template.hasOutput("AlarmTopicArn", Map.of("Value", Cfn.ref(Cfn.onlyId(template, "AWS::SNS::Topic"))));
        }
    }
}
