package app.cruddur.messages.user.signup;

/**
 * Where the database's user name and password come from. The password may change while a Lambda
 * execution environment lives (rotation), so a refused password can ask for them again.
 */
public interface DatabaseCredentials {

    /** A database user and its password; {@link #toString()} never shows the password. */
    record Credentials(String username, String password) {

        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    /** The credentials known now (read once, then kept). */
    Credentials current();

    /** The credentials read again from their source, after the database refused the current ones. */
    Credentials reread();

    /** Credentials given directly, which never change (local runs and tests). */
    static DatabaseCredentials fixed(String username, String password) {
        Credentials credentials = new Credentials(username, password);
        return new DatabaseCredentials() {
            @Override
            public Credentials current() {
                return credentials;
            }

            @Override
            public Credentials reread() {
                return credentials;
            }
        };
    }
}
