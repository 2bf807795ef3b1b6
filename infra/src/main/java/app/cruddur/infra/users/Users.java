package app.cruddur.infra.users;

import app.cruddur.infra.Nag;
import app.cruddur.infra.StackSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.ClientAttributes;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.StandardAttributesMask;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolOperation;
import software.amazon.awscdk.services.cognito.UserPoolProps;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * Who may call the service: a Cognito user pool and the app client whose access tokens the service
 * accepts. Created here by default; with {@code userPoolId} and {@code userPoolClientId} in the
 * context the stack uses an existing pool and client instead and creates neither.
 */
public final class Users extends Construct {

    private final String userPoolId;
    private final String userPoolClientId;
    private UserPool pool;

    public Users(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        if (settings.existingUserPool()) {
            userPoolId = settings.userPoolId().orElseThrow();
            userPoolClientId = settings.userPoolClientId().orElseThrow();
            return;
        }

        pool = new UserPool(this, "Pool", UserPoolProps.builder()
                .userPoolName(settings.tableName() + "-users")
                .selfSignUpEnabled(true)
                .signInAliases(SignInAliases.builder().email(true).build())
                .signInCaseSensitive(false)
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                // As Cruddur's sign-up fills them: people sign in with their email, preferred_username
                // is the handle (the service links users by it) and name the display name. The handle
                // is a plain attribute, not a sign-in alias.
                .standardAttributes(StandardAttributes.builder()
                        .email(StandardAttribute.builder().required(true).mutable(true).build())
                        .preferredUsername(StandardAttribute.builder().required(true).mutable(true).build())
                        .fullname(StandardAttribute.builder().required(true).mutable(true).build())
                        .build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(false)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());

        Nag.suppress(pool, "AwsSolutions-COG1", "Passwords need 12 characters with lower and upper case and digits;"
                + " a required symbol is left out on purpose, as length adds more than composition rules"
                + " (NIST SP 800-63B advises against such rules)");
        Nag.suppress(pool, "AwsSolutions-COG2", "MFA (TOTP) is optional: signing up for the social app must not"
                + " require an authenticator app; each user can turn it on");
        Nag.suppress(pool, "AwsSolutions-COG3", "Threat protection (advanced security, ENFORCED) is billed per"
                + " monthly active user on top of the pool; off for cost until the user count justifies it");

        UserPoolClient client = pool.addClient("WebClient", UserPoolClientOptions.builder()
                .userPoolClientName("cruddur-web")
                // A browser app cannot keep a secret; SRP never sends the password.
                .generateSecret(false)
                // The frontend signs in with the Cognito API (SRP), not the hosted UI: no OAuth flows.
                .disableOAuth(true)
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .preventUserExistenceErrors(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.days(30))
                .enableTokenRevocation(true)
                .readAttributes(new ClientAttributes().withStandardAttributes(StandardAttributesMask.builder()
                        .email(true).emailVerified(true).preferredUsername(true).fullname(true).build()))
                .writeAttributes(new ClientAttributes().withStandardAttributes(StandardAttributesMask.builder()
                        .email(true).preferredUsername(true).fullname(true).build()))
                .build());

        userPoolId = pool.getUserPoolId();
        userPoolClientId = client.getUserPoolClientId();
    }

    /**
     * Has the created pool call {@code trigger} when a user confirms their sign-up (Cognito may invoke
     * it only for this pool); an existing pool's users are written by its own application.
     */
    public void writeRowsWith(IFunction trigger) {
        if (pool == null) {
            throw new IllegalStateException("an existing user pool: its own application writes its users' rows");
        }
        pool.addTrigger(UserPoolOperation.POST_CONFIRMATION, trigger);
    }

    public String userPoolId() {
        return userPoolId;
    }

    public String userPoolClientId() {
        return userPoolClientId;
    }
}
