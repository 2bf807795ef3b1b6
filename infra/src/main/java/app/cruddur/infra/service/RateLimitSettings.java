package app.cruddur.infra.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's rate limits as the stack gives them to its tasks (README, "Limits"): each one
 * {@code LIMIT/PERIOD/BURST} in the context, such as {@code 30/1m/10} (30 a minute, 10 at once).
 * The defaults are the service's own.
 */
public record RateLimitSettings(Limit messages, Limit conversations, Limit tickets, Limit profileLookups, Limit blocks) {

    /** One token bucket: {@code limit} per {@code period} (a Quarkus duration: 90s, 1m, 1h), at most {@code burst} at once. */
    public record Limit(int limit, String period, int burst) {

        private static final Pattern FORM = Pattern.compile("(\\d{1,6})/(\\d{1,5}(?:ms|s|m|h|d))/(\\d{1,6})");

        public Limit {
            if (limit < 1 || burst < 1 || !period.matches("\\d{1,5}(ms|s|m|h|d)") || period.matches("0+\\D+")) {
                throw new IllegalArgumentException("a limit needs at least 1 request per positive period and a burst of at least 1");
            }
        }

        public static Limit parse(String key, String text) {
            Matcher form = FORM.matcher(text.trim());
            if (!form.matches()) {
                throw new IllegalArgumentException(key + ": LIMIT/PERIOD/BURST such as 30/1m/10, got " + text);
            }
            try {
                return new Limit(Integer.parseInt(form.group(1)), form.group(2), Integer.parseInt(form.group(3)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + ", got " + text, e);
            }
        }

        @Override
        public String toString() {
            return limit + "/" + period + "/" + burst;
        }
    }

    public static final String MESSAGES = "30/1m/10";
    public static final String CONVERSATIONS = "20/1h/20";
    public static final String TICKETS = "30/1m/10";
    public static final String PROFILE_LOOKUPS = "60/1m/60";
    public static final String BLOCKS = "30/1m/10";

    public static RateLimitSettings defaults() {
        return new RateLimitSettings(Limit.parse("messages", MESSAGES), Limit.parse("conversations", CONVERSATIONS),
                Limit.parse("tickets", TICKETS), Limit.parse("profileLookups", PROFILE_LOOKUPS), Limit.parse("blocks", BLOCKS));
    }

    /**
     * The service's settings: the limits on, and the client address of a public request taken
     * from the one proxy in front, the load balancer (the rightmost X-Forwarded-For entry).
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true");
        environment.put("CRUDDUR_MESSAGES_RATE_LIMITS_TRUSTED_PROXIES", "1");
        put(environment, "MESSAGES", messages);
        put(environment, "CONVERSATIONS", conversations);
        put(environment, "TICKETS", tickets);
        put(environment, "PROFILE_LOOKUPS", profileLookups);
        put(environment, "BLOCKS", blocks);
        return environment;
    }

    private static void put(Map<String, String> environment, String name, Limit limit) {
        String prefix = "CRUDDUR_MESSAGES_RATE_LIMITS_" + name + "_";
        environment.put(prefix + "LIMIT", Integer.toString(limit.limit()));
        environment.put(prefix + "PERIOD", limit.period());
        environment.put(prefix + "BURST", Integer.toString(limit.burst()));
    }
}
