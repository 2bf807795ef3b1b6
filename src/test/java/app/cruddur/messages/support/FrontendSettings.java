package app.cruddur.messages.support;

/**
 * The values the README gives a developer for the Cruddur frontend's environment when it runs
 * against the local stack (dev mode or docker compose). Tests hold both stacks to them.
 */
public final class FrontendSettings {

    public static final String ORIGIN = "http://localhost:3000";
    public static final String USER_POOL_ID = "local_cruddur";
    public static final String CLIENT_ID = "cruddurwebclientlocal0001";

    private FrontendSettings() {
    }
}
