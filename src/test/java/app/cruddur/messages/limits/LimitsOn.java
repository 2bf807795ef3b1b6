package app.cruddur.messages.limits;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The limits as deployed (the defaults of application.properties), behind one trusted proxy so that
 * X-Forwarded-For can stand for different clients, with small caps for new conversations and
 * blocks so that a test reaches them.
 */
public class LimitsOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cruddur.messages.rate-limits.enabled", "true",
                "cruddur.messages.rate-limits.trusted-proxies", "1",
                "cruddur.messages.rate-limits.conversations.limit", "3",
                "cruddur.messages.rate-limits.conversations.burst", "3",
                "cruddur.messages.blocks.max-per-user", "2");
    }
}
