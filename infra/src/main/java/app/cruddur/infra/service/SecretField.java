package app.cruddur.infra.service;

import app.cruddur.infra.Access;
import java.util.List;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.ecs.Secret;

/**
 * One JSON key of a Secrets Manager secret as a container secret, granting the execution role
 * only {@code secretsmanager:GetSecretValue} on that secret. ({@code Secret.fromSecretsManager}
 * grants through {@code ISecret.grantRead}, which adds DescribeSecret, which ECS does not call.)
 */
final class SecretField extends Secret {

    private final String secretArn;
    private final String field;

    SecretField(String secretArn, String field) {
        super();
        this.secretArn = secretArn;
        this.field = field;
    }

    /** ECS's reference to one key of a JSON secret: {@code <arn>:<key>::} (current version). */
    @Override
    public String getArn() {
        return secretArn + ":" + field + "::";
    }

    @Override
    public Boolean getHasField() {
        return true;
    }

    @Override
    public Grant grantRead(IGrantable grantee) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(Access.SECRET_READ_ACTIONS)
                .resourceArns(List.of(secretArn))
                .build());
    }
}
