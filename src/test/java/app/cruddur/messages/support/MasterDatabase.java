package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.postgres.ApplicationLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A fresh database on the local stack's PostgreSQL as Amazon RDS sets one up: owned by its master
 * user, who may create roles but is no superuser (the local stack's own user is one), and checking
 * every login's password (the local stack trusts local connections). Roles belong to the whole
 * server; the master holds the group roles (cruddur_app, cruddur_signup) with ADMIN OPTION, as
 * RDS's master does for having created them (PostgreSQL 16+ grants their creator that), even when
 * another test's migrations created them first here.
 */
public record MasterDatabase(String host, int port, String name, String master, String masterPassword, String superuser,
                             String superuserPassword) {

    /** Creates the master user and its database, both named after {@code prefix} and unique in the run. */
    public static MasterDatabase create(LocalStackProcess stack, String prefix) throws SQLException {
        Map<String, Object> c = stack.coordinates();
        String suffix = Long.toString(System.nanoTime(), 36);
        MasterDatabase database = new MasterDatabase((String) c.get("postgresHost"), ((Number) c.get("postgresPort")).intValue(),
                prefix + "_" + suffix, prefix + "_master_" + suffix, "master-" + UUID.randomUUID(),
                (String) c.get("postgresUser"), (String) c.get("postgresPassword"));
        try (Connection connection = database.superuserConnection("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + database.master + " WITH LOGIN CREATEROLE CREATEDB PASSWORD '"
                    + database.masterPassword + "'");
            statement.execute("CREATE DATABASE " + database.name + " OWNER " + database.master);
            for (ApplicationLogin login : ApplicationLogin.values()) {
                boolean exists;
                try (ResultSet group = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + login.groupRole() + "'")) {
                    exists = group.next();
                }
                if (exists) {
                    statement.execute("GRANT " + login.groupRole() + " TO " + database.master
                            + " WITH ADMIN OPTION, INHERIT FALSE, SET FALSE");
                }
            }
            database.requirePasswords(statement);
        }
        return database;
    }

    /** Asks every connection to this database for its password (SCRAM), as RDS does; others are as they were. */
    private void requirePasswords(Statement superuser) throws SQLException {
        try (ResultSet file = superuser.executeQuery("SHOW hba_file")) {
            file.next();
            Path hba = Path.of(file.getString(1));
            String lines = "host " + name + " all 127.0.0.1/32 scram-sha-256\n" + "host " + name + " all ::1/128 scram-sha-256\n";
            Files.writeString(hba, lines + Files.readString(hba));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        superuser.execute("SELECT pg_reload_conf()");
        // The server reads the file again in the background: wait until a wrong password is refused.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                DriverManager.getConnection(jdbcUrl(), master, masterPassword + "-wrong").close();
            } catch (SQLException refused) {
                if ("28P01".equals(refused.getSQLState())) {
                    return;
                }
                throw refused;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the local PostgreSQL still trusts connections to " + name);
            }
            Await.pause();
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?sslmode=disable";
    }

    /** As the service's POSTGRES_URL. */
    public String url() {
        return "postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection masterConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), master, masterPassword);
    }

    /** The local stack's superuser, for what only it may read (pg_authid) or set up. */
    public Connection superuserConnection() throws SQLException {
        return superuserConnection(name);
    }

    public Connection connectionAs(String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Applies db/migration as the master, as the init run does. */
    public void migrate() {
        Flyway.configure().dataSource(jdbcUrl(), master, masterPassword).locations("classpath:db/migration").load().migrate();
    }

    /** Makes sure the login exists as the init run does after migrating, as the master. */
    public void ensure(ApplicationLogin.Credentials login) throws SQLException {
        try (Connection connection = masterConnection()) {
            ApplicationLogin.ensure(connection, login, this::connectionAs);
        }
    }

    /**
     * What Secrets Manager's alternating-users rotation does as the master user, the first time:
     * {@code <login>_clone} with the new password, a member of the login.
     */
    public void rotate(String login, String password) throws SQLException {
        try (Connection connection = masterConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + login + "_clone WITH LOGIN PASSWORD '" + password + "'");
            statement.execute("GRANT " + login + " TO " + login + "_clone");
        }
    }

    /** A new password for an existing login, as the master user: what a rotation does to it next. */
    public void setPassword(String login, String password) throws SQLException {
        try (Connection connection = masterConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + login + " WITH PASSWORD '" + password + "'");
        }
    }

    private Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=disable",
                superuser, superuserPassword);
    }
}
