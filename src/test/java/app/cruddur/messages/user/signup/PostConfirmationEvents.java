package app.cruddur.messages.user.signup;

import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolEvent;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Post-confirmation events as Cognito sends them for a pool that signs in by email (Cruddur's). */
public final class PostConfirmationEvents {

    static final String POOL = "us-east-1_CruddurT1";

    private PostConfirmationEvents() {
    }

    /** The attributes Cognito sends for a user who signed up with this handle, display name and email. */
    public static Map<String, String> attributes(String sub, String handle, String name, String email) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("sub", sub);
        attributes.put("email_verified", "true");
        attributes.put("cognito:user_status", "CONFIRMED");
        if (handle != null) {
            attributes.put("preferred_username", handle);
        }
        if (name != null) {
            attributes.put("name", name);
        }
        if (email != null) {
            attributes.put("email", email);
        }
        return attributes;
    }

    public static CognitoUserPoolPostConfirmationEvent event(String triggerSource, Map<String, String> attributes) {
        return CognitoUserPoolPostConfirmationEvent.builder()
                .withVersion("1")
                .withTriggerSource(triggerSource)
                .withRegion("us-east-1")
                .withUserPoolId(POOL)
                .withUserName(attributes.getOrDefault("sub", "unknown"))
                .withCallerContext(CognitoUserPoolEvent.CallerContext.builder()
                        .withAwsSdkVersion("aws-sdk-unknown-unknown").withClientId("cruddurwebclient0001").build())
                .withRequest(CognitoUserPoolPostConfirmationEvent.Request.builder().withUserAttributes(Map.copyOf(attributes)).build())
                .build();
    }

    public static CognitoUserPoolPostConfirmationEvent signUp(Map<String, String> attributes) {
        return event(SignUpLambdaHandler.CONFIRM_SIGN_UP, attributes);
    }
}
