package app.cruddur.messages.postgres;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

/**
 * After every migration run that Flyway makes at start (the init run in production, dev mode, the
 * tests), ensures the logins that are configured ({@link ApplicationLogin}: the service's
 * {@code POSTGRES_APP_USER}, the sign-up trigger's {@code POSTGRES_SIGNUP_USER}), on Flyway's own
 * connection as the migrating user. A failure fails the migration, and so the start: the init run
 * exits non-zero with the reason. Flyway's callbacks run within its migration, which Quarkus'
 * init-and-exit waits for before it exits; a startup observer would run too late.
 */
@Singleton
public class ApplicationLoginAfterMigrate implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(ApplicationLoginAfterMigrate.class);

    private final List<ApplicationLogin.Credentials> logins;
    private final AgroalDataSource dataSource;

    public ApplicationLoginAfterMigrate(ApplicationLoginConfig settings, Config config, AgroalDataSource dataSource) {
        this.logins = ApplicationLogin.fromConfig(settings, config);
        this.dataSource = dataSource;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        if (logins.isEmpty()) {
            return;
        }
        List<Callback> callbacks = new ArrayList<>(Arrays.asList(configuration.getCallbacks()));
        callbacks.add(new AfterMigrate(logins, this::signIn));
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }

    /** A connection as another login, made as the datasource makes its own (URL, TLS settings). */
    private Connection signIn(String user, String password) throws SQLException {
        AgroalConnectionFactoryConfiguration factory = dataSource.getConfiguration().connectionPoolConfiguration()
                .connectionFactoryConfiguration();
        Properties properties = new Properties();
        properties.putAll(factory.jdbcProperties());
        properties.putIfAbsent("connectTimeout", "10");
        properties.putIfAbsent("socketTimeout", "30");
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(factory.jdbcUrl(), properties);
    }

    private static final class AfterMigrate extends BaseCallback {

        private final List<ApplicationLogin.Credentials> logins;
        private final ApplicationLogin.SignIn signIn;

        AfterMigrate(List<ApplicationLogin.Credentials> logins, ApplicationLogin.SignIn signIn) {
            this.logins = logins;
            this.signIn = signIn;
        }

        @Override
        public boolean supports(Event event, Context context) {
            // Fired once the migrations succeeded (also when none was pending), on the migration's
            // own connection; AFTER_MIGRATE would take one more than the pool's two.
            return event == Event.AFTER_MIGRATE_OPERATION_FINISH;
        }

        @Override
        public void handle(Event event, Context context) {
            try {
                Map<ApplicationLogin.Credentials, Set<ApplicationLogin.Change>> changes
                        = ApplicationLogin.ensure(context.getConnection(), logins, signIn);
                changes.forEach((credentials, changed) -> LOG.infof("PostgreSQL login %s of %s: %s", credentials.user(),
                        credentials.login().part(), credentials.login().describe(changed)));
            } catch (SQLException e) {
                throw new ApplicationLoginException("could not ensure the PostgreSQL logins " + logins.stream()
                        .map(ApplicationLogin.Credentials::user).toList() + ": " + e.getMessage() + " (SQLSTATE "
                        + e.getSQLState() + ")");
            }
        }

        @Override
        public String getCallbackName() {
            return "ensure the PostgreSQL logins";
        }
    }
}
