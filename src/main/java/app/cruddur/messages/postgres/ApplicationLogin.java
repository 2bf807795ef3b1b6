package app.cruddur.messages.postgres;

import io.smallrye.config.Expressions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.postgresql.PGConnection;

/**
 * The logins that the init run makes sure exist, as the master user right after migrating
 * ({@link ApplicationLoginAfterMigrate}), one constant each: its variables and the group role
 * (db/migration) whose privileges it holds, and nothing more. Each is optional and independent.
 *
 * <p>Only the named role is ever created or changed, and only in what it lacks: a login that
 * already signs in with the password and holds its group role is left exactly as it is. That is
 * also how Secrets Manager's alternating-users rotation leaves it: the secret then names
 * {@code <login>_clone}, which the rotation function created with the secret's password as a
 * member of {@code <login>}, itself a member of the group role.
 */
public enum ApplicationLogin {

    /** The service's own login: the service signs in as it (POSTGRES_USER) after the init run. */
    SERVICE("the service", "POSTGRES_APP_USER", "POSTGRES_APP_PASSWORD", "cruddur_app"),
    /** The sign-up trigger's login (user/signup): it writes a confirmed user's row. */
    SIGNUP("the sign-up trigger", "POSTGRES_SIGNUP_USER", "POSTGRES_SIGNUP_PASSWORD", "cruddur_signup");

    /** The rotation function names its second login {@code <login>_clone}. */
    static final String CLONE_SUFFIX = "_clone";
    /** PostgreSQL cuts names at 63 bytes: the login's name leaves room for the suffix. */
    static final int MAX_NAME = 63 - CLONE_SUFFIX.length();
    /** Lower case, so that the name means the same quoted (here) and unquoted (anywhere else). */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** SQLSTATEs of a sign-in refused for its credentials: a wrong password, no such login, or NOLOGIN. */
    private static final Set<String> REFUSED = Set.of("28P01", "28000");

    private final String part;
    private final String userVariable;
    private final String passwordVariable;
    private final String groupRole;

    ApplicationLogin(String part, String userVariable, String passwordVariable, String groupRole) {
        this.part = part;
        this.userVariable = userVariable;
        this.passwordVariable = passwordVariable;
        this.groupRole = groupRole;
    }

    /** Who signs in as this login, as the log says it: "the service". */
    public String part() {
        return part;
    }

    /** The login's name (Secrets Manager's {@code username} of its secret). */
    public String userVariable() {
        return userVariable;
    }

    /** The login's password (Secrets Manager's {@code password} of its secret). */
    public String passwordVariable() {
        return passwordVariable;
    }

    /** The group role holding the login's privileges; it never signs in itself. */
    public String groupRole() {
        return groupRole;
    }

    /** Its key in {@link ApplicationLoginConfig#login()}: {@code service}, {@code signup}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What {@link #ensure} changed; none: the login was already as it should be. */
    public enum Change {
        CREATED, PASSWORD_SET, LOGIN_ALLOWED, GROUP_ROLE_GRANTED
    }

    /** Opens a connection to the service's database as the given login. */
    @FunctionalInterface
    public interface SignIn {
        Connection open(String user, String password) throws SQLException;
    }

    /** A login to ensure: a valid role name, and the password as the secret holds it. */
    public record Credentials(ApplicationLogin login, String user, String password) {

        public Credentials {
            if (user == null || !NAME.matcher(user).matches()) {
                throw new ApplicationLoginException(login.userVariable + " must be a role name of lower-case letters, digits"
                        + " and underscores, not starting with a digit; it is " + (user == null ? "unset" : "'" + user + "'"));
            }
            if (base(user).length() > MAX_NAME) {
                throw new ApplicationLoginException(login.userVariable + " '" + user + "' is too long: the rotation's "
                        + CLONE_SUFFIX + " login must fit PostgreSQL's 63 characters, so at most " + MAX_NAME);
            }
            if (user.startsWith("pg_") || Arrays.stream(values()).anyMatch(each -> each.groupRole.equals(user))) {
                throw new ApplicationLoginException(login.userVariable + " '" + user + "' is a name the login cannot have");
            }
            if (password == null || password.isEmpty()) {
                throw new ApplicationLoginException(login.passwordVariable + " is empty");
            }
            login.refuseDollar(password);
            if (password.indexOf('\0') >= 0) {
                throw new ApplicationLoginException(login.passwordVariable + " contains a NUL character, which PostgreSQL"
                        + " cannot store");
            }
        }

        @Override
        public String toString() {
            return "Credentials[" + login + ", " + user + "]";
        }
    }

    /** This login with the given name and password. */
    public Credentials credentials(String user, String password) {
        return new Credentials(this, user, password);
    }

    /**
     * The logins whose variables are set, in declaration order; none when none is (dev, test, a
     * deployment that signs in as the migrating user). Refuses two that would share a name or a clone.
     */
    public static List<Credentials> fromConfig(ApplicationLoginConfig settings, Config config) {
        List<Credentials> logins = new ArrayList<>();
        for (ApplicationLogin login : values()) {
            Optional<ApplicationLoginConfig.Credentials> set = Optional.ofNullable(settings.login().get(login.key()));
            // The password exactly as the secret holds it, before the configuration expanded it.
            Optional<String> secret = Expressions.withoutExpansion(
                    () -> config.getOptionalValue(login.passwordVariable, String.class));
            login.of(set.flatMap(ApplicationLoginConfig.Credentials::user),
                    set.flatMap(ApplicationLoginConfig.Credentials::password), secret).ifPresent(logins::add);
        }
        Map<String, Credentials> byBase = new LinkedHashMap<>();
        for (Credentials credentials : logins) {
            Credentials other = byBase.putIfAbsent(base(credentials.user()), credentials);
            if (other != null) {
                throw new ApplicationLoginException(credentials.login().userVariable + " '" + credentials.user() + "' and "
                        + other.login().userVariable + " '" + other.user() + "' would be one login or share its "
                        + CLONE_SUFFIX + ": each login has a name of its own");
            }
        }
        return logins;
    }

    Optional<Credentials> of(Optional<String> user, Optional<String> password, Optional<String> secret) {
        if (secret.isPresent()) {
            refuseDollar(secret.get());
        }
        if (user.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        if (user.isEmpty() || password.isEmpty()) {
            throw new ApplicationLoginException(userVariable + " and " + passwordVariable + " go together: only "
                    + (user.isEmpty() ? passwordVariable : userVariable) + " is set");
        }
        return Optional.of(credentials(user.get(), password.get()));
    }

    /** The configuration (this run's, and the service's POSTGRES_PASSWORD) expands ${...}, $$ and \$. */
    private void refuseDollar(String password) {
        if (password.indexOf('$') >= 0) {
            throw new ApplicationLoginException(passwordVariable + " contains '$', which the configuration would expand:"
                    + " the login would get another password than the secret's; exclude '$' from the secret's"
                    + " password characters");
        }
    }

    /** The name a rotation's clone belongs to: the name itself for any other. */
    private static String base(String user) {
        return user.endsWith(CLONE_SUFFIX) ? user.substring(0, user.length() - CLONE_SUFFIX.length()) : user;
    }

    /**
     * Ensures every one of {@code logins} ({@link #ensure(Connection, Credentials, SignIn)}), after
     * refusing any of them first: a refusal changes no login at all.
     */
    public static Map<Credentials, Set<Change>> ensure(Connection master, List<Credentials> logins, SignIn signIn)
            throws SQLException {
        for (Credentials credentials : logins) {
            credentials.login().refuse(master, credentials.user());
        }
        Map<Credentials, Set<Change>> changes = new LinkedHashMap<>();
        for (Credentials credentials : logins) {
            changes.put(credentials, ensure(master, credentials, signIn));
        }
        return changes;
    }

    /**
     * Creates the login, or gives it what it lacks, on {@code master}'s database: signing in with
     * the password, and its group role. Refuses (changing nothing) a name that is the master user,
     * the database's owner, or a role with more than its group role's privileges.
     *
     * @param master  a connection as a user that may create roles and grant the group role
     * @param signIn  opens a connection as another login to the same database, as its part would
     */
    public static Set<Change> ensure(Connection master, Credentials credentials, SignIn signIn) throws SQLException {
        return credentials.login().ensure(master, credentials.user(), credentials.password(), signIn);
    }

    private Set<Change> ensure(Connection master, String name, String password, SignIn signIn) throws SQLException {
        Optional<Role> role = refuse(master, name);
        boolean signsIn = signsIn(signIn, name, password);
        boolean member = role.isPresent() && role.get().holdsGroupRole();
        EnumSet<Change> changes = EnumSet.noneOf(Change.class);
        if (signsIn && member) {
            return changes;
        }
        boolean autoCommit = master.getAutoCommit();
        master.setAutoCommit(false);
        try (Statement statement = master.createStatement()) {
            String quoted = '"' + name + '"';
            if (role.isEmpty()) {
                statement.execute("CREATE ROLE " + quoted + " WITH LOGIN");
                changes.add(Change.CREATED);
            } else if (!signsIn && !role.get().canLogin()) {
                statement.execute("ALTER ROLE " + quoted + " WITH LOGIN");
                changes.add(Change.LOGIN_ALLOWED);
            }
            if (!signsIn) {
                // Hashed here (SCRAM-SHA-256, as the server's password_encryption says): the
                // password itself is never part of a statement, so no server log can hold it.
                master.unwrap(PGConnection.class).alterUserPassword(name, password.toCharArray(), null);
                if (role.isPresent()) {
                    changes.add(Change.PASSWORD_SET);
                }
            }
            if (!member) {
                statement.execute("GRANT " + groupRole + " TO " + quoted);
                changes.add(Change.GROUP_ROLE_GRANTED);
            }
            master.commit();
        } catch (SQLException | RuntimeException e) {
            master.rollback();
            throw e;
        } finally {
            master.setAutoCommit(autoCommit);
        }
        if (!signsIn(signIn, name, password)) {
            throw new ApplicationLoginException("the login " + name + " was " + describe(changes) + " but still cannot sign in"
                    + " with " + passwordVariable + " (pg_hba.conf, CONNECT on the database?)");
        }
        return changes;
    }

    /** The changes as a log line says them. */
    public String describe(Set<Change> changes) {
        if (changes.isEmpty()) {
            return "left as it was: it signs in with the secret's password and holds " + groupRole;
        }
        List<String> said = new ArrayList<>();
        for (Change change : changes) {
            said.add(switch (change) {
                case CREATED -> "created with the secret's password";
                case PASSWORD_SET -> "given the secret's password";
                case LOGIN_ALLOWED -> "allowed to sign in";
                case GROUP_ROLE_GRANTED -> "granted " + groupRole;
            });
        }
        return String.join(", ", said);
    }

    private static boolean signsIn(SignIn signIn, String name, String password) throws SQLException {
        try (Connection ignored = signIn.open(name, password)) {
            return true;
        } catch (SQLException e) {
            if (REFUSED.contains(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Refuses a name this login cannot have on this server: the migrations have not made its group
     * role, or the role holds more than it, directly or as a rotation's clone through its login.
     * Returns the role as it is, empty when there is none yet.
     */
    private Optional<Role> refuse(Connection master, String name) throws SQLException {
        if (!exists(master, groupRole)) {
            throw new ApplicationLoginException("the group role " + groupRole + " does not exist: the migrations"
                    + " (db/migration) have not run on this server");
        }
        Optional<Role> role = Role.read(master, name, groupRole);
        if (role.isEmpty()) {
            return role;
        }
        if (role.get().privileged()) {
            throw refused(name, "may create roles or databases, replicate, bypass row security or is a superuser");
        }
        try (PreparedStatement query = master.prepareStatement("""
                SELECT session_user = ?, pg_get_userbyid(datdba) = ?
                FROM pg_database WHERE datname = current_database()
                """)) {
            query.setString(1, name);
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                if (row.getBoolean(1)) {
                    throw refused(name, "is the user running the migrations");
                }
                if (row.getBoolean(2)) {
                    throw refused(name, "owns the database");
                }
            }
        }
        String login = name.endsWith(CLONE_SUFFIX) ? base(name) : null;
        try (PreparedStatement query = master.prepareStatement("""
                WITH RECURSIVE held(oid) AS (
                    SELECT roleid FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = ?)
                    UNION SELECT m.roleid FROM pg_auth_members m JOIN held ON m.member = held.oid)
                SELECT rolname FROM pg_roles WHERE oid IN (SELECT oid FROM held) ORDER BY rolname
                """)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String held = rows.getString(1);
                    if (!held.equals(groupRole) && !held.equals(login)) {
                        throw refused(name, "is a member of " + held + ", beyond " + groupRole);
                    }
                }
            }
        }
        return role;
    }

    private ApplicationLoginException refused(String name, String why) {
        return new ApplicationLoginException(userVariable + " names the role " + name + ", which " + why + ": the login of "
                + part + " holds " + groupRole + " and nothing more; nothing was changed");
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private record Role(boolean privileged, boolean canLogin, boolean holdsGroupRole) {

        static Optional<Role> read(Connection connection, String name, String groupRole) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls,
                           rolcanlogin, pg_has_role(oid, ?, 'USAGE')
                    FROM pg_roles WHERE rolname = ?
                    """)) {
                query.setString(1, groupRole);
                query.setString(2, name);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new Role(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3)))
                            : Optional.empty();
                }
            }
        }
    }
}
