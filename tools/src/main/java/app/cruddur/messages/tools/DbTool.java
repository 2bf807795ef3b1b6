package app.cruddur.messages.tools;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.seed.SeedUsers;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import app.cruddur.messages.user.cognito.CognitoUserPool;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * {@code bin/db/update-cognito-user-ids [prod]} and {@code bin/db/setup}: the seed's database
 * scripts. Setup brings a fresh local stack to the state dev mode seeds: migrations, table, seed
 * data, the seed users in the local Cognito pool, and their subs in PostgreSQL.
 */
public final class DbTool {

    private final PrintStream out;

    public DbTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        ToolException.exitAfterCrt(new DbTool(System.out).run(List.of(args), System.getenv(), System.err));
    }

    public int run(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            List<String> rest = new ArrayList<>(args);
            boolean prod = rest.remove("prod");
            if (rest.size() != 1) {
                throw usage();
            }
            switch (rest.get(0)) {
                case "update-cognito-user-ids" -> {
                    ToolTarget target = ToolTarget.resolve(prod, env);
                    updateCognitoUserIds(target.cognito(env), target, env);
                }
                case "setup" -> {
                    if (prod) {
                        throw new ToolException(ToolException.USAGE, "bin/db/setup is for the local stack only; on AWS each "
                                + "task's init run applies the migrations (docs/operations.md, \"PostgreSQL logins\"), and "
                                + "bin/db/update-cognito-user-ids prod links the users");
                    }
                    setup(ToolTarget.resolve(false, env), env);
                }
                default -> throw usage();
            }
            return 0;
        } catch (RuntimeException e) {
            return ToolException.report(e, args.contains("prod"), err);
        }
    }

    private CognitoUserIds.Outcome updateCognitoUserIds(CognitoUserPool pool, ToolTarget target, Map<String, String> env) {
        try (Connection connection = Postgres.connect(target, env)) {
            return CognitoUserIds.sync(pool, connection, out);
        } catch (SQLException e) {
            throw Postgres.failure(e);
        }
    }

    private void setup(ToolTarget target, Map<String, String> env) {
        migrate(Postgres.login(target, env));
        try (DynamoDbAsyncClient dynamo = target.dynamo()) {
            MessagesTableAdmin.Outcome table = new MessagesTableAdmin(dynamo, target.tableName(), target.groupIndex(), Caller.TOOLS)
                    .ensureTable().await().indefinitely();
            out.println("table " + target.tableName() + ": " + (table == MessagesTableAdmin.Outcome.CREATED ? "created" : "already there"));
            Seeding.seed(dynamo, target, env, out);
        }
        CognitoUserPool pool = target.cognito(env);
        for (SeedUsers.SeedUser user : SeedUsers.ALL) {
            LocalStackProcess.ensureLocalUser(pool, user.handle(), user.email(), user.displayName());
        }
        out.println("Cognito pool " + pool.poolId() + ": " + String.join(", ", SeedUsers.ALL.stream().map(SeedUsers.SeedUser::handle).toList())
                + " can sign in (bin/local-token HANDLE)");
        updateCognitoUserIds(pool, target, env);
    }

    /** The service's own migrations (db/migration, on the classpath as in the service), as Quarkus applies them at start. */
    private void migrate(Postgres.Login login) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(login.jdbcUrl(), login.user(), login.password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            out.println("migrations: " + result.migrationsExecuted + " applied, schema at version "
                    + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
        } catch (FlywayException e) {
            throw new ToolException(ToolException.FAILED, "migrations failed: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static ToolException usage() {
        return new ToolException(ToolException.USAGE, "usage: bin/db/update-cognito-user-ids [prod] | bin/db/setup");
    }
}
