package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Cognito: a new pool and client by default, or the existing ones named in the context. */
class UsersTest {

    private static Template created;
    private static Template existing;

    @BeforeAll
    static void synthesize() {
        created = Synth.defaults();
        existing = Synth.full();
    }

    @Test
    void poolLetsPeopleSignUpAndSignInWithTheirEmail() {
        created.resourceCountIs("AWS::Cognito::UserPool", 1);
        created.hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", false),
                "UsernameAttributes", List.of("email"),
                "AutoVerifiedAttributes", List.of("email"),
                "UsernameConfiguration", Map.of("CaseSensitive", false),
                "AccountRecoverySetting", Map.of("RecoveryMechanisms", List.of(
                        Map.of("Name", "verified_email", "Priority", 1))),
                "DeletionProtection", "ACTIVE"));
        created.hasResource("AWS::Cognito::UserPool", Map.of("DeletionPolicy", "RetainExceptOnCreate"));
    }

    @Test
    void theHandleAndTheDisplayNameAreRequiredWritableStandardAttributesAsInCruddursSignUp() {
        created.hasResourceProperties("AWS::Cognito::UserPool", Map.of("Schema", Match.arrayWith(List.of(
                Map.of("Name", "email", "Required", true, "Mutable", true),
                Map.of("Name", "name", "Required", true, "Mutable", true),
                Map.of("Name", "preferred_username", "Required", true, "Mutable", true)))));
        List<?> schema = (List<?>) Cfn.onlyProperties(created, "AWS::Cognito::UserPool").get("Schema");
        assertEquals(3, schema.size(), schema.toString());
        created.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "WriteAttributes", List.of("email", "name", "preferred_username"),
                "ReadAttributes", List.of("email", "email_verified", "name", "preferred_username")));
    }

    @Test
    void poolHasAPasswordPolicy() {
        created.hasResourceProperties("AWS::Cognito::UserPool", Map.of("Policies", Map.of("PasswordPolicy", Map.of(
                "MinimumLength", 12,
                "RequireLowercase", true,
                "RequireUppercase", true,
                "RequireNumbers", true,
                "TemporaryPasswordValidityDays", 3))));
        created.hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "MfaConfiguration", "OPTIONAL",
                "EnabledMfas", List.of("SOFTWARE_TOKEN_MFA")));
    }

    @Test
    void clientIsPublicAndSignsInWithSrp() {
        created.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
        created.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "UserPoolId", Cfn.ref(Cfn.onlyId(created, "AWS::Cognito::UserPool")),
                "GenerateSecret", false,
                "ExplicitAuthFlows", List.of("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
                "PreventUserExistenceErrors", "ENABLED",
                "EnableTokenRevocation", true,
                "AllowedOAuthFlowsUserPoolClient", false));
        Map<String, Object> client = Cfn.onlyProperties(created, "AWS::Cognito::UserPoolClient");
        assertFalse(client.containsKey("AllowedOAuthFlows"), "no hosted-UI flows");
        assertFalse(client.containsKey("CallbackURLs"), "no hosted-UI callbacks");
    }

    @Test
    void tokensAreShortLivedAndRefreshable() {
        created.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "AccessTokenValidity", 60,
                "IdTokenValidity", 60,
                "RefreshTokenValidity", 30 * 24 * 60,
                "TokenValidityUnits", Map.of("AccessToken", "minutes", "IdToken", "minutes", "RefreshToken", "minutes")));
    }

    @Test
    void createsNothingWhenAPoolIsGiven() {
        existing.resourceCountIs("AWS::Cognito::UserPool", 0);
        existing.resourceCountIs("AWS::Cognito::UserPoolClient", 0);
        Map<String, Object> environment = DaxTest.containerEnvironment(existing);
        assertEquals(Synth.EXISTING_POOL, environment.get("COGNITO_USER_POOL_ID"));
        assertEquals(Synth.EXISTING_CLIENT, environment.get("COGNITO_APP_CLIENT_ID"));
        existing.hasOutput("UserPoolId", Map.of("Value", Synth.EXISTING_POOL));
        existing.hasOutput("UserPoolClientId", Map.of("Value", Synth.EXISTING_CLIENT));
    }

    @Test
    void outputsTheCreatedPool() {
        created.hasOutput("UserPoolId", Map.of("Value", Cfn.ref(Cfn.onlyId(created, "AWS::Cognito::UserPool"))));
        created.hasOutput("UserPoolClientId", Map.of("Value",
                Cfn.ref(Cfn.onlyId(created, "AWS::Cognito::UserPoolClient"))));
        created.hasResourceProperties("AWS::Cognito::UserPool", Match.objectLike(Map.of(
                "UserPoolName", "cruddur-messages-users")));
    }
}
