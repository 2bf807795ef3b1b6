package app.cruddur.messages.limits;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits on, behind one trusted proxy so that X-Forwarded-For can stand for different
 * clients. Each keeps its default burst but refills over an hour, so that no token comes back
 * while a test runs, however slow the machine (the refill itself: the bucket test, and
 * LimitsTwoInstancesIT with the defaults); small caps for new conversations and blocks so that a
 * test reaches them.
 */
public class LimitsOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "cruddur.messages.rate-limits.enabled", "true",
                "cruddur.messages.rate-limits.trusted-proxies", "1",
                "cruddur.messages.rate-limits.conversations.limit", "3",
                "cruddur.messages.rate-limits.conversations.burst", "3",
                "cruddur.messages.rate-limits.blocks.limit", "6",
                "cruddur.messages.rate-limits.blocks.burst", "6",
                "cruddur.messages.blocks.max-per-user", "2",
                "cruddur.messages.rate-limits.read-markers.limit", "4",
                "cruddur.messages.rate-limits.read-markers.burst", "4"));
        overrides.put("cruddur.messages.rate-limits.message-changes.limit", "3");
        overrides.put("cruddur.messages.rate-limits.message-changes.burst", "3");
        overrides.put("cruddur.messages.rate-limits.typing.limit", "3");
        overrides.put("cruddur.messages.rate-limits.typing.burst", "3");
        for (String limit : List.of("messages", "conversations", "tickets", "profile-lookups", "blocks", "read-markers", "message-changes",
                "typing")) {
            overrides.put("cruddur.messages.rate-limits." + limit + ".period", "1h");
        }
        overrides.put("cruddur.messages.rate-limits.messages.limit", "10");
        overrides.put("cruddur.messages.rate-limits.tickets.limit", "10");
        return overrides;
    }
}
