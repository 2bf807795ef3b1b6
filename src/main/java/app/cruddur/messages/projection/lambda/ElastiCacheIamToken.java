package app.cruddur.messages.projection.lambda;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The password of an ElastiCache user with IAM authentication: a SigV4-presigned
 * {@code connect} request for the cache and the user, valid 15 minutes, without its scheme (as
 * ElastiCache's documentation builds it). A connection opened with it stays open up to 12 hours.
 */
final class ElastiCacheIamToken {

    static final Duration VALIDITY = Duration.ofMinutes(15);

    private final String cacheName;
    private final String userId;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    ElastiCacheIamToken(String cacheName, String userId, String region, AwsCredentialsProvider credentials, Clock clock) {
        this.cacheName = cacheName;
        this.userId = userId;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    String next() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host(cacheName)
                .encodedPath("/")
                .putRawQueryParameter("Action", "connect")
                .putRawQueryParameter("User", userId)
                .putRawQueryParameter("ResourceType", "ServerlessCache")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "elasticache")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, VALIDITY)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().getUri().toString().replaceFirst("^http://", "");
    }
}
