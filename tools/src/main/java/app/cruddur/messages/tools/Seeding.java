package app.cruddur.messages.tools;

import app.cruddur.messages.seed.ConversationSeeder;
import app.cruddur.messages.seed.SeedConversation;
import app.cruddur.messages.seed.SeedUsers;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The seed as dev mode writes it: the users in PostgreSQL, the conversation in DynamoDB. Repeatable. */
final class Seeding {

    private Seeding() {
    }

    static void seed(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, PrintStream out) {
        int added = 0;
        try (Connection connection = Postgres.connect(target, env);
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO users (uuid, handle, display_name, email) VALUES (?, ?, ?, ?) ON CONFLICT (handle) DO NOTHING")) {
            for (SeedUsers.SeedUser user : SeedUsers.ALL) {
                insert.setObject(1, user.uuid());
                insert.setString(2, user.handle());
                insert.setString(3, user.displayName());
                insert.setString(4, user.email());
                added += insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw Postgres.failure(e);
        }
        out.println("users: " + added + " added, " + (SeedUsers.ALL.size() - added) + " already there");
        ConversationSeeder.Outcome outcome = new ConversationSeeder(dynamo, target.tableName(), target.groupIndex(), target.keyring(dynamo, env))
                .seed(Instant.now())
                .await().indefinitely();
        out.println("conversation " + SeedConversation.MESSAGE_GROUP_UUID + ": "
                + (outcome == ConversationSeeder.Outcome.SEEDED ? "written" : "already there") + " in " + target.describe());
    }
}
