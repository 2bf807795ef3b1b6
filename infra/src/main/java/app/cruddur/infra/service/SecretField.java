package app.cruddur.infra.service;

import app.cruddur.infra.Access;
import java.util.List;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.ecs.Secret;

/**
 * One JSON key of a Secrets Manager secret (or the whole secret) as a container secret, granting the execution role
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

    /** The whole secret's value (a plain string secret). */
    static SecretField whole(String secretArn) {
        return new SecretField(secretArn, null);
    }

    /** ECS's reference to one key of a JSON secret: {@code <arn>:<key>::} (current version), or the secret's ARN. */
    @Override
    public String getArn() {
        return field == null ? secretArn : secretArn + ":" + field + "::";
    }

    @Override
    public Boolean getHasField() {
        return field != null;
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
