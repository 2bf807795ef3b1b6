package app.cruddur.messages.table;

import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ApiName;

/**
 * Which part of the system sends a request to AWS (DynamoDB, its stream, Secrets Manager), named in
 * the request's user agent ({@code cruddur-messages/<part>}). In AWS each part runs under a role of its own, so
 * CloudTrail's {@code userAgent} tells an operator which part made a call (or was denied one), and
 * the permission test holds each role's grants to exactly what its part sends (infra/README.md, "IAM").
 */
public enum Caller {

    /** The service's request paths and readiness: the ECS task role. */
    SERVICE("service"),
    /** The list-entry projection, in the Lambda or in the in-service consumer: the Lambda's role. */
    PROJECTION("projection"),
    /**
     * Reading the table's stream: the in-service consumer locally; in AWS the Lambda's event source
     * mapping, which polls the stream with the Lambda's role.
     */
    STREAM_READER("stream-reader"),
    /** The Cognito post-confirmation trigger reading its database secret (user/signup): its Lambda's role. */
    SIGN_UP("sign-up"),
    /**
     * Set-up and the tools behind bin/: creating the table in dev and test, seeding, bulk writes.
     * Run with a developer's or an operator's credentials, never a role of the stack.
     */
    TOOLS("tools");

    /** The name in the user agent, before the part's name. */
    public static final String API_NAME = "cruddur-messages";

    private final String part;
    private final AwsRequestOverrideConfiguration override;

    Caller(String part) {
        this.part = part;
        this.override = AwsRequestOverrideConfiguration.builder()
                .addApiName(ApiName.builder().name(API_NAME).version(part).build())
                .build();
    }

    /** The part's name in the user agent: {@code service}, {@code projection}, {@code stream-reader}, {@code sign-up} or {@code tools}. */
    public String part() {
        return part;
    }

    /** The part's product in a user agent: {@code cruddur-messages/<part>}, for requests the SDK's API names cannot tag. */
    public String userAgent() {
        return API_NAME + "/" + part;
    }

    /** What a request needs to carry this part's name. */
    public AwsRequestOverrideConfiguration override() {
        return override;
    }

    /** {@code request}, sent by this part. */
    @SuppressWarnings("unchecked")
    public <R extends AwsRequest> R tag(R request) {
        return (R) request.toBuilder().overrideConfiguration(override).build();
    }
}
