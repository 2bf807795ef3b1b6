package app.cruddur.messages.tools;

import app.cruddur.messages.seed.SeedConversation;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.Keys;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The seed's access-pattern scripts ({@code bin/ddb/patterns/*}): the same requests the service
 * sends (patterns A and B: {@link ListEntryItem#listRequest}, {@link MessageItem#pageRequest}), printed for a human, with their consumed capacity.
 */
public final class PatternsTool {

    private static final int PAGE = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd hh:mm a", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;

    public PatternsTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        ToolException.exitAfterCrt(new PatternsTool(System.out).run(List.of(args), System.getenv(), System.err));
    }

    public int run(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            if (args.isEmpty()) {
                throw new ToolException(ToolException.USAGE, "usage: patterns get-conversation|list-conversation [ARG] [prod]");
            }
            List<String> rest = new ArrayList<>(args.subList(1, args.size()));
            boolean prod = rest.remove("prod");
            boolean partiql = rest.remove("--partiql");
            if (rest.size() > 1) {
                throw new ToolException(ToolException.USAGE, "unexpected argument: " + rest.get(1));
            }
            ToolTarget target = ToolTarget.resolve(prod, env);
            try (DynamoDbAsyncClient dynamo = target.dynamo()) {
                switch (args.get(0)) {
                    case "get-conversation" -> getConversation(dynamo, target, env, rest.isEmpty() ? null : rest.get(0), partiql);
                    case "list-conversation" -> listConversation(dynamo, target, env, rest.isEmpty() ? "andrewbrown" : rest.get(0));
                    default -> throw new ToolException(ToolException.USAGE, "unknown pattern command: " + args.get(0));
                }
            }
            return 0;
        } catch (RuntimeException e) {
            return ToolException.report(e, args.contains("prod"), err);
        }
    }

    /** Pattern B: the newest page of a conversation, printed oldest first. */
    private void getConversation(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, String groupArgument,
                                 boolean partiql) {
        UUID group = groupArgument == null ? SeedConversation.MESSAGE_GROUP_UUID
                : Keys.parseUuid(groupArgument).orElseThrow(() -> new ToolException(ToolException.USAGE,
                        "not a conversation uuid: " + groupArgument));
        List<Map<String, AttributeValue>> newestFirst;
        ConsumedCapacity capacity;
        if (partiql) {
            // DynamoDB Local applies the Limit before ORDER BY ... DESC, so "the newest 20" cannot be
            // one PartiQL page there: read the conversation in key order and keep the last 20.
            List<Map<String, AttributeValue>> all = new ArrayList<>();
            double units = 0;
            String next = null;
            do {
                String token = next;
                var response = dynamo.executeStatement(ExecuteStatementRequest.builder()
                        .statement("SELECT * FROM \"" + target.tableName() + "\" WHERE " + MessagesTable.PK + " = ? ORDER BY "
                                + MessagesTable.SK + " ASC")
                        .parameters(AttributeValue.fromS(MessageItem.partition(group)))
                        .nextToken(token)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build()).join();
                all.addAll(response.items());
                units += response.consumedCapacity() == null ? 0 : response.consumedCapacity().capacityUnits();
                next = response.nextToken();
            } while (next != null);
            newestFirst = new ArrayList<>(all.subList(Math.max(0, all.size() - PAGE), all.size()));
            Collections.reverse(newestFirst);
            capacity = ConsumedCapacity.builder().capacityUnits(units).build();
        } else {
            QueryRequest request = MessageItem.pageRequest(target.tableName(), group, Optional.empty(), PAGE)
                    .toBuilder().limit(PAGE).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            QueryResponse response = dynamo.query(request).join();
            newestFirst = response.items();
            capacity = response.consumedCapacity();
        }
        List<MessageItem> messages = new ArrayList<>(newestFirst.stream().map(MessageItem::from).toList());
        Collections.reverse(messages);
        // The texts are stored sealed: opened with the conversation's key, as the service shows them.
        TextKey key = target.keyring(dynamo, env).forReading(group).await().indefinitely();
        for (MessageItem message : messages) {
            out.println(line(message.userHandle(), message.createdAt(), message.text(key).orElse(MessageView.UNAVAILABLE)));
        }
        out.println(capacity(capacity, partiql ? "ExecuteStatement (PartiQL)" : "Query"));
    }

    /** Pattern A: a user's conversations, newest reply first. */
    private void listConversation(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, String handle) {
        UUID user = userUuid(target, env, handle);
        QueryRequest request = ListEntryItem.listRequest(target.tableName(), user, Optional.empty(), 100)
                .toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        QueryResponse response = dynamo.query(request).join();
        List<ListEntryItem> entries = response.items().stream().map(ListEntryItem::from).toList();
        Map<UUID, TextKey> keys = target.keyring(dynamo, env).forReading(entries.stream().map(ListEntryItem::conversationUuid).toList())
                .await().indefinitely();
        for (ListEntryItem entry : entries) {
            String text = entry.text(keys.get(entry.conversationUuid())).orElse(MessageView.UNAVAILABLE);
            out.println(line(entry.otherHandle(), entry.lastReplyAt(), text) + "  " + entry.conversationUuid());
        }
        out.println(capacity(response.consumedCapacity(), "Query"));
    }

    /** {@code handle} padded to 16, the time padded to 22, then the first 40 characters and "...". */
    static String line(String handle, Instant at, String message) {
        int end = message.offsetByCodePoints(0, Math.min(40, message.codePointCount(0, message.length())));
        return String.format("%-16s%-22s%s...", handle, TIME.format(at), message.substring(0, end));
    }

    private static String capacity(ConsumedCapacity capacity, String operation) {
        return "consumed capacity: " + (capacity == null ? "not reported" : capacity.capacityUnits() + " RCU") + " (" + operation + ")";
    }

    private static UUID userUuid(ToolTarget target, Map<String, String> env, String handle) {
        try (Connection connection = Postgres.connect(target, env);
             PreparedStatement query = connection.prepareStatement("SELECT uuid FROM users WHERE handle = ?")) {
            query.setString(1, handle);
            try (ResultSet entries = query.executeQuery()) {
                if (!entries.next()) {
                    throw new ToolException(ToolException.FAILED, "no user with handle " + handle);
                }
                return (UUID) entries.getObject(1);
            }
        } catch (SQLException e) {
            throw Postgres.failure(e);
        }
    }

}
