package app.cruddur.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions (see {@link InfraApp#checkAwsSolutions}): each on the one resource it
 * concerns, with the reason the rule does not fit there. The README lists them all.
 */
public final class Nag {

    private Nag() {
    }

    /** Suppresses {@code ruleId} (such as {@code AwsSolutions-RDS11}) on {@code resource}'s own CloudFormation resource. */
    public static void suppress(IConstruct resource, String ruleId, String reason) {
        NagSuppressions.addResourceSuppressions(resource, List.of(NagPackSuppression.builder()
                .id(ruleId)
                .reason(reason)
                .build()));
    }

    /**
     * Suppresses AwsSolutions-IAM5 in {@code role}'s policy for the {@code *} resource only: any
     * other wildcard (an action, a resource pattern) is still reported. Which statements may have
     * {@code *} is pinned by LeastPrivilegeTest's allow-list.
     */
    public static void suppressWildcardResource(Role role, String reason) {
        NagSuppressions.addResourceSuppressions(role.getNode().findChild("DefaultPolicy"), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(reason)
                        .appliesTo(List.of("Resource::*"))
                        .build()));
    }

    /**
     * Suppresses AwsSolutions-IAM5 in {@code role}'s policy for the {@code *} resource and for the
     * objects ({@code <bucket ARN>/*}) of the bucket whose construct id is {@code bucketId} directly
     * under the role's parent: Lambda names the objects it writes to an on-failure destination.
     */
    public static void suppressWildcardResourceAndObjectsOf(Role role, String bucketId, String reason) {
        String logicalIdStart = role.getNode().getScope().getNode().getId() + bucketId;
        NagSuppressions.addResourceSuppressions(role.getNode().findChild("DefaultPolicy"), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(reason)
                        .appliesTo(List.of("Resource::*", RegexAppliesTo.builder()
                                .regex("/^Resource::<" + logicalIdStart + "[0-9A-F]{8}\\.Arn>\\/\\*$/")
                                .build()))
                        .build()));
    }
}
