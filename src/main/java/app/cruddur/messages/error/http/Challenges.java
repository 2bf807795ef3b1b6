package app.cruddur.messages.error.http;

/**
 * The {@code WWW-Authenticate} challenges of RFC 6750 that a 401 carries: a bare one when the
 * request had no bearer token, and one with {@code error="invalid_token"} when it had one that
 * failed (malformed, expired, another issuer or client, or the frontend's literal "null").
 */
public final class Challenges {

    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String REALM = "cruddur-messages";
    public static final String MISSING = "Bearer realm=\"" + REALM + "\"";
    public static final String INVALID = "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", "
            + "error_description=\"The access token is invalid or has expired\"";

    private Challenges() {
    }

    /** Whether an Authorization header carries a bearer token (whatever its value). */
    public static boolean hasBearerToken(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "bearer", 0, 6);
    }
}
