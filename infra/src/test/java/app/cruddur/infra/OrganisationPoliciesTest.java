package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The organisation's service control policies in infra/policies: documented, applied by the
 * organisation's administrators, not deployed by the stack.
 */
class OrganisationPoliciesTest {

    private static final String BREAK_GLASS = "arn:aws:iam::*:role/cruddur-break-glass";
    private static final String TABLE = "arn:aws:dynamodb:*:*:table/" + StackSettings.DEFAULT_TABLE_NAME;

    private static List<Map<String, Object>> deletion;
    private static List<Map<String, Object>> regionLock;

    @BeforeAll
    static void read() throws IOException {
        deletion = statements("policies/scp-deny-table-deletion.json");
        regionLock = statements("policies/scp-region-lock.json");
    }

    @Test
    void everyStatementDeniesAndSparesTheBreakGlassRole() {
        for (List<Map<String, Object>> policy : List.of(deletion, regionLock)) {
            assertFalse(policy.isEmpty());
            for (Map<String, Object> statement : policy) {
                assertEquals("Deny", statement.get("Effect"), statement.toString());
                Map<String, Object> notLike = map(map(statement.get("Condition")).get("ArnNotLike"));
                assertTrue(Cfn.oneOrMany(notLike.get("aws:PrincipalArn")).contains(BREAK_GLASS), statement.toString());
            }
        }
    }

    @Test
    void deletingTheTableOrItsBackupsIsDenied() {
        Map<String, Object> statement = statementWith(deletion, "dynamodb:DeleteTable");
        assertEquals(Set.of("dynamodb:DeleteTable", "dynamodb:DeleteBackup"), strings(statement.get("Action")));
        assertEquals(Set.of(TABLE, TABLE + "/backup/*"), strings(statement.get("Resource")));
        assertEquals(List.of(BREAK_GLASS), Cfn.oneOrMany(map(map(statement.get("Condition")).get("ArnNotLike"))
                .get("aws:PrincipalArn")), "nobody but the break-glass role");
    }

    @Test
    void turningOffDeletionProtectionOrRecoveryIsLeftToDeployments() {
        // Deletion protection is changed with UpdateTable, point-in-time recovery with
        // UpdateContinuousBackups; neither has a condition key for the setting, so both are denied
        // except to the break-glass role and CloudFormation's deployment role.
        Map<String, Object> statement = statementWith(deletion, "dynamodb:UpdateTable");
        assertEquals(Set.of("dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups"), strings(statement.get("Action")));
        assertEquals(Set.of(TABLE), strings(statement.get("Resource")));
        assertEquals(Set.of(BREAK_GLASS, "arn:aws:iam::*:role/cdk-hnb659fds-cfn-exec-role-*"),
                strings(map(map(statement.get("Condition")).get("ArnNotLike")).get("aws:PrincipalArn")));
    }

    @Test
    void theTablesKeyCannotBeDisabledOrDeleted() {
        Map<String, Object> statement = statementWith(deletion, "kms:ScheduleKeyDeletion");
        assertTrue(strings(statement.get("Action")).containsAll(Set.of("kms:ScheduleKeyDeletion", "kms:DisableKey")));
        assertEquals(Map.of("kms:ResourceAliases", "alias/cruddur-messages-table"),
                map(statement.get("Condition")).get("ForAnyValue:StringEquals"));
    }

    @Test
    void regionLockDeniesEverythingButGlobalServicesOutsideTheAllowedRegions() {
        assertEquals(1, regionLock.size());
        Map<String, Object> statement = regionLock.get(0);
        assertEquals("*", statement.get("Resource"));
        assertFalse(statement.containsKey("Action"), "NotAction: everything but the listed global services");
        Set<String> exempt = strings(statement.get("NotAction"));
        assertTrue(exempt.containsAll(Set.of("iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*",
                "support:*")), exempt.toString());
        // What the stack runs on stays locked to the allowed regions.
        for (String regional : List.of("dynamodb:", "dax:", "ecs:", "ecr:", "lambda:", "sqs:", "logs:", "kms:",
                "cognito-idp:", "cloudtrail:", "config:", "secretsmanager:", "elasticloadbalancing:",
                "application-autoscaling:", "cloudformation:", "s3:Put", "s3:Get")) {
            assertTrue(exempt.stream().noneMatch(a -> a.startsWith(regional) && !a.equals("s3:GetAccountPublicAccessBlock")),
                    regional + " must stay region-locked");
        }
        assertEquals(Set.of("ec2:DescribeRegions"),
                exempt.stream().filter(a -> a.startsWith("ec2:")).collect(java.util.stream.Collectors.toSet()));
        Map<String, Object> condition = map(statement.get("Condition"));
        assertEquals(List.of(Synth.REGION), Cfn.oneOrMany(map(condition.get("StringNotEquals")).get("aws:RequestedRegion")));
    }

    @Test
    void theStackDoesNotDeployThem() {
        Synth.defaults().resourceCountIs("AWS::Organizations::Policy", 0);
    }

    private static Map<String, Object> statementWith(List<Map<String, Object>> policy, String action) {
        return policy.stream().filter(s -> strings(s.get("Action")).contains(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no statement with " + action));
    }

    private static Set<String> strings(Object value) {
        Set<String> strings = new TreeSet<>();
        Cfn.oneOrMany(value).forEach(v -> strings.add((String) v));
        return strings;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(String file) throws IOException {
        Map<String, Object> policy = new ObjectMapper().readValue(Path.of(file).toFile(), Map.class);
        assertEquals("2012-10-17", policy.get("Version"), file);
        return list(policy.get("Statement")).stream().map(Cfn::map).toList();
    }
}
