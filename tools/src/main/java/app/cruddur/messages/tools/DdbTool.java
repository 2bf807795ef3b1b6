package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The seed's DynamoDB scripts as commands of this project ({@code bin/ddb/*}): schema-load,
 * list-tables, drop, scan and seed, on the local stack or, with {@code prod}, on AWS. They reuse the
 * service's table definition; no Quarkus start, so each answers in about a second.
 */
public final class DdbTool {

    private final PrintStream out;
    private final Function<String, String> confirm;

    public DdbTool(PrintStream out, Function<String, String> confirm) {
        this.out = out;
        this.confirm = confirm;
    }

    public static void main(String[] args) {
        DdbTool tool = new DdbTool(System.out, question -> {
            System.out.print(question);
            System.out.flush();
            return System.console() == null ? "" : System.console().readLine();
        });
        ToolException.exitAfterCrt(tool.run(List.of(args), System.getenv(), System.err));
    }

    /** Runs one command; returns the exit code. */
    public int run(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            if (args.isEmpty()) {
                throw usage();
            }
            List<String> rest = new ArrayList<>(args.subList(1, args.size()));
            boolean prod = rest.remove("prod");
            boolean yes = rest.remove("--yes");
            ToolTarget target = ToolTarget.resolve(prod, env);
            try (DynamoDbAsyncClient dynamo = target.dynamo()) {
                switch (args.get(0)) {
                    case "schema-load" -> schemaLoad(dynamo, target, rest);
                    case "list-tables" -> listTables(dynamo, rest);
                    case "drop" -> drop(dynamo, target, rest, yes);
                    case "scan" -> scan(dynamo, target, env, rest);
                    case "seed" -> seed(dynamo, target, env, rest);
                    case "erase-conversation" -> new EraseConversation(out, confirm).run(dynamo, target, env, rest, yes);
                    case "encrypt-texts" -> new EncryptTexts(out).run(dynamo, target, target.keyring(dynamo, env), rest);
                    case "rotate-keys" -> new RotateKeys(out).run(dynamo, target, target.keyring(dynamo, env), rest);
                    default -> throw usage();
                }
            }
            return 0;
        } catch (RuntimeException e) {
            return ToolException.report(e, args.contains("prod"), err);
        }
    }

    private void schemaLoad(DynamoDbAsyncClient dynamo, ToolTarget target, List<String> rest) {
        noMoreArguments(rest);
        MessagesTableAdmin admin = new MessagesTableAdmin(dynamo, target.tableName(), target.groupIndex(), Caller.TOOLS);
        MessagesTableAdmin.Outcome outcome = admin.ensureTable().await().indefinitely();
        out.println(outcome == MessagesTableAdmin.Outcome.CREATED
                ? "created table " + target.tableName() + " (GSI " + target.groupIndex() + ", stream NEW_IMAGE) in " + target.describe()
                : "table " + target.tableName() + " already exists in " + target.describe());
    }

    private void listTables(DynamoDbAsyncClient dynamo, List<String> rest) {
        noMoreArguments(rest);
        String start = null;
        do {
            String from = start;
            var page = dynamo.listTables(b -> b.exclusiveStartTableName(from)).join();
            page.tableNames().forEach(out::println);
            start = page.lastEvaluatedTableName();
        } while (start != null);
    }

    private void drop(DynamoDbAsyncClient dynamo, ToolTarget target, List<String> rest, boolean yes) {
        if (rest.size() != 1) {
            throw new ToolException(ToolException.USAGE, "usage: bin/ddb/drop TABLE [prod] [--yes]");
        }
        String table = rest.get(0);
        if (target.prod() && !yes) {
            String answer = confirm.apply("Delete table " + table + " in AWS and every item in it? Type the table name to confirm: ");
            if (!table.equals(answer == null ? "" : answer.strip())) {
                throw new ToolException(ToolException.FAILED, "not confirmed; nothing deleted");
            }
        }
        try {
            dynamo.deleteTable(b -> b.tableName(table)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw new ToolException(ToolException.FAILED, "no table " + table + " in " + target.describe());
            }
            throw e;
        }
        out.println("deleted table " + table + " in " + target.describe());
    }

    private void seed(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, List<String> rest) {
        noMoreArguments(rest);
        Seeding.seed(dynamo, target, env, out);
        out.println("link the users to their Cognito users with bin/db/update-cognito-user-ids" + (target.prod() ? " prod" : ""));
    }

    private void scan(DynamoDbAsyncClient dynamo, ToolTarget target, Map<String, String> env, List<String> rest) {
        boolean sealed = rest.remove("--sealed");
        noMoreArguments(rest);
        // Texts are stored sealed: opened with their conversation's key unless --sealed asks for them as stored.
        Keyring keyring = sealed ? null : target.keyring(dynamo, env);
        Map<String, AttributeValue> start = null;
        long count = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(target.tableName()).exclusiveStartKey(from)).join();
            for (Map<String, AttributeValue> item : page.items()) {
                out.println(ItemText.of(sealed ? item : StoredText.opened(keyring, item)));
                count++;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        out.println(count + " items in " + target.tableName());
    }

    private static void noMoreArguments(List<String> rest) {
        if (!rest.isEmpty()) {
            throw new ToolException(ToolException.USAGE, "unexpected argument: " + rest.get(0));
        }
    }

    private static ToolException usage() {
        return new ToolException(ToolException.USAGE, "usage: ddb schema-load|list-tables|drop TABLE|scan [--sealed]|seed|erase-conversation UUID|encrypt-texts [--from POINT]|rotate-keys UUID... [--reseal] [prod]");
    }

    /** Items printed with sorted attribute names, so output is stable. */
    static final class ItemText {
        private ItemText() {
        }

        static String of(Map<String, AttributeValue> item) {
            Map<String, String> sorted = new TreeMap<>();
            item.forEach((name, value) -> sorted.put(name, value.s() != null ? value.s()
                    : value.n() != null ? value.n()
                    : value.hasSs() ? value.ss().toString()
                    : value.hasM() ? "{" + value.m().size() + " attributes}"
                    : value.toString()));
            return sorted.toString();
        }
    }
}
