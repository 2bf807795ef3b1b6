package app.cruddur.messages.projection.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The IAM password's form, as ElastiCache documents it (a real cache is needed to check that it is accepted). */
class ElastiCacheIamTokenTest {

    private static final Clock AT = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final StaticCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

    @Test
    void isAPresignedConnectRequestForTheCacheAndTheUserWithoutItsScheme() {
        String token = new ElastiCacheIamToken("cruddur-messages-events", "cruddur-messages-projection", "eu-west-1", KEYS, AT).next();
        assertTrue(token.startsWith("cruddur-messages-events/?"), token);
        assertFalse(token.contains("://"), token);
        Map<String, String> query = Arrays.stream(token.substring(token.indexOf('?') + 1).split("&"))
                .map(pair -> pair.split("=", 2)).collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        assertEquals("connect", query.get("Action"));
        assertEquals("cruddur-messages-projection", query.get("User"));
        assertEquals("ServerlessCache", query.get("ResourceType"));
        assertEquals("AWS4-HMAC-SHA256", query.get("X-Amz-Algorithm"));
        assertEquals("AKIDEXAMPLE%2F20261201%2Feu-west-1%2Felasticache%2Faws4_request", query.get("X-Amz-Credential"));
        assertEquals("20261201T100000Z", query.get("X-Amz-Date"));
        assertEquals("900", query.get("X-Amz-Expires"));
        assertEquals("host", query.get("X-Amz-SignedHeaders"));
        assertEquals(64, query.get("X-Amz-Signature").length());
    }

    @Test
    void theSignatureDependsOnTheUserAndTheTime() {
        String one = new ElastiCacheIamToken("cache", "user-a", "eu-west-1", KEYS, AT).next();
        assertEquals(one, new ElastiCacheIamToken("cache", "user-a", "eu-west-1", KEYS, AT).next(), "deterministic");
        assertNotEquals(one, new ElastiCacheIamToken("cache", "user-b", "eu-west-1", KEYS, AT).next());
        assertNotEquals(one, new ElastiCacheIamToken("cache", "user-a", "eu-west-1", KEYS,
                Clock.offset(AT, java.time.Duration.ofMinutes(1))).next());
    }
}
