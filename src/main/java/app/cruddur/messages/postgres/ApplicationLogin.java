package app.cruddur.messages.postgres;

import io.smallrye.config.Expressions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.postgresql.PGConnection;

/**
 * Makes sure that the login the service signs in with exists: a role that signs in with the
 * secret's password and holds the privileges of the group role {@value #GROUP_ROLE}
 * (db/migration/V3), and nothing more. The init run does this as the master user right after
 * migrating ({@link ApplicationLoginAfterMigrate}).
 *
 * <p>Only the named role is ever created or changed, and only in what it lacks: a login that
 * already signs in with the password and holds the group role is left exactly as it is. That is
 * also how Secrets Manager's alternating-users rotation leaves it: the secret then names
 * {@code <login>_clone}, which the rotation function created with the secret's password as a
 * member of {@code <login>}, itself a member of the group role.
 */
public final class ApplicationLogin {

    /** The group role holding the service's privileges; it never signs in itself. */
    public static final String GROUP_ROLE = "cruddur_app";
    /** The login's name and password (Secrets Manager's {@code username} and {@code password}). */
    public static final String USER_VARIABLE = "POSTGRES_APP_USER";
    public static final String PASSWORD_VARIABLE = "POSTGRES_APP_PASSWORD";
    /** The rotation function names its second login {@code <login>_clone}. */
    static final String CLONE_SUFFIX = "_clone";
    /** PostgreSQL cuts names at 63 bytes: the login's name leaves room for the suffix. */
    static final int MAX_NAME = 63 - CLONE_SUFFIX.length();
    /** Lower case, so that the name means the same quoted (here) and unquoted (anywhere else). */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** SQLSTATEs of a sign-in refused for its credentials: a wrong password, no such login, or NOLOGIN. */
    private static final Set<String> REFUSED = Set.of("28P01", "28000");

    /** What {@link #ensure} changed; none: the login was already as it should be. */
    public enum Change {
        CREATED, PASSWORD_SET, LOGIN_ALLOWED, GROUP_ROLE_GRANTED
    }

    /** Opens a connection to the service's database as the given login. */
    @FunctionalInterface
    public interface SignIn {
        Connection open(String user, String password) throws SQLException;
    }

    /** The login to ensure: a valid role name, and the password as the secret holds it. */
    public record Login(String user, String password) {

        public Login {
            if (user == null || !NAME.matcher(user).matches()) {
                throw new ApplicationLoginException(USER_VARIABLE + " must be a role name of lower-case letters, digits and"
                        + " underscores, not starting with a digit; it is " + (user == null ? "unset" : "'" + user + "'"));
            }
            String base = user.endsWith(CLONE_SUFFIX) ? user.substring(0, user.length() - CLONE_SUFFIX.length()) : user;
            if (base.length() > MAX_NAME) {
                throw new ApplicationLoginException(USER_VARIABLE + " '" + user + "' is too long: the rotation's "
                        + CLONE_SUFFIX + " login must fit PostgreSQL's 63 characters, so at most " + MAX_NAME);
            }
            if (user.startsWith("pg_") || user.equals(GROUP_ROLE)) {
                throw new ApplicationLoginException(USER_VARIABLE + " '" + user + "' is a name the login cannot have");
            }
            if (password == null || password.isEmpty()) {
                throw new ApplicationLoginException(PASSWORD_VARIABLE + " is empty");
            }
            refuseDollar(password);
            if (password.indexOf('\0') >= 0) {
                throw new ApplicationLoginException(PASSWORD_VARIABLE + " contains a NUL character, which PostgreSQL cannot store");
            }
        }

        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    private ApplicationLogin() {
    }

    /**
     * The login named by {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}; empty when
     * neither is set (dev, test, a deployment that signs in as the migrating user).
     */
    public static Optional<Login> fromConfig(ApplicationLoginConfig settings, Config config) {
        // The password exactly as the secret holds it, before the configuration expanded it.
        Optional<String> secret = Expressions.withoutExpansion(() -> config.getOptionalValue(PASSWORD_VARIABLE, String.class));
        return of(settings.user(), settings.password(), secret);
    }

    static Optional<Login> of(Optional<String> user, Optional<String> password, Optional<String> secret) {
        if (secret.isPresent()) {
            refuseDollar(secret.get());
        }
        if (user.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        if (user.isEmpty() || password.isEmpty()) {
            throw new ApplicationLoginException(USER_VARIABLE + " and " + PASSWORD_VARIABLE + " go together: only "
                    + (user.isEmpty() ? PASSWORD_VARIABLE : USER_VARIABLE) + " is set");
        }
        return Optional.of(new Login(user.get(), password.get()));
    }

    /** The service reads its own password (POSTGRES_PASSWORD) through its configuration, which expands ${...}, $$ and \$. */
    private static void refuseDollar(String password) {
        if (password.indexOf('$') >= 0) {
            throw new ApplicationLoginException(PASSWORD_VARIABLE + " contains '$': the service would read another"
                    + " password than the secret's; exclude '$' from the secret's password characters");
        }
    }

    /**
     * Creates the login, or gives it what it lacks, on {@code master}'s database: signing in with
     * the password, and the group role. Refuses (changing nothing) a name that is the master
     * user, the database's owner, or a role with more than the group role's privileges.
     *
     * @param master  a connection as a user that may create roles and grant the group role
     * @param signIn  opens a connection as another login to the same database, as the service would
     */
    public static Set<Change> ensure(Connection master, Login login, SignIn signIn) throws SQLException {
        String name = login.user();
        if (!exists(master, GROUP_ROLE)) {
            throw new ApplicationLoginException("the group role " + GROUP_ROLE + " does not exist: the migrations"
                    + " (db/migration, V3) have not run on this server");
        }
        Optional<Role> role = Role.read(master, name);
        if (role.isPresent()) {
            refuseMoreThanTheGroupRole(master, role.get());
        }
        boolean signsIn = signsIn(signIn, login);
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
                master.unwrap(PGConnection.class).alterUserPassword(name, login.password().toCharArray(), null);
                if (role.isPresent()) {
                    changes.add(Change.PASSWORD_SET);
                }
            }
            if (!member) {
                statement.execute("GRANT " + GROUP_ROLE + " TO " + quoted);
                changes.add(Change.GROUP_ROLE_GRANTED);
            }
            master.commit();
        } catch (SQLException | RuntimeException e) {
            master.rollback();
            throw e;
        } finally {
            master.setAutoCommit(autoCommit);
        }
        if (!signsIn(signIn, login)) {
            throw new ApplicationLoginException("the login " + name + " was " + describe(changes)
                    + " but still cannot sign in with " + PASSWORD_VARIABLE + " (pg_hba.conf, CONNECT on the database?)");
        }
        return changes;
    }

    /** The changes as a log line says them. */
    public static String describe(Set<Change> changes) {
        if (changes.isEmpty()) {
            return "left as it was: it signs in with the secret's password and holds " + GROUP_ROLE;
        }
        List<String> said = new ArrayList<>();
        for (Change change : changes) {
            said.add(switch (change) {
                case CREATED -> "created with the secret's password";
                case PASSWORD_SET -> "given the secret's password";
                case LOGIN_ALLOWED -> "allowed to sign in";
                case GROUP_ROLE_GRANTED -> "granted " + GROUP_ROLE;
            });
        }
        return String.join(", ", said);
    }

    private static boolean signsIn(SignIn signIn, Login login) throws SQLException {
        try (Connection ignored = signIn.open(login.user(), login.password())) {
            return true;
        } catch (SQLException e) {
            if (REFUSED.contains(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** The login may hold the group role, directly or as a rotation's clone through its login, and nothing else. */
    private static void refuseMoreThanTheGroupRole(Connection master, Role role) throws SQLException {
        String name = role.name();
        if (role.privileged()) {
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
        String base = name.endsWith(CLONE_SUFFIX) ? name.substring(0, name.length() - CLONE_SUFFIX.length()) : null;
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
                    if (!held.equals(GROUP_ROLE) && !held.equals(base)) {
                        throw refused(name, "is a member of " + held + ", beyond " + GROUP_ROLE);
                    }
                }
            }
        }
    }

    private static ApplicationLoginException refused(String name, String why) {
        return new ApplicationLoginException(USER_VARIABLE + " names the role " + name + ", which " + why
                + ": the service's login holds " + GROUP_ROLE + " and nothing more; nothing was changed");
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private record Role(String name, boolean privileged, boolean canLogin, boolean holdsGroupRole) {

        static Optional<Role> read(Connection connection, String name) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls,
                           rolcanlogin, pg_has_role(oid, ?, 'USAGE')
                    FROM pg_roles WHERE rolname = ?
                    """)) {
                query.setString(1, GROUP_ROLE);
                query.setString(2, name);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new Role(name, row.getBoolean(1), row.getBoolean(2), row.getBoolean(3)))
                            : Optional.empty();
                }
            }
        }
    }
}
