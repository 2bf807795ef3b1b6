package app.cruddur.messages.tools;

import app.cruddur.messages.user.cognito.CognitoUserPool;
import app.cruddur.messages.user.cognito.CognitoUserPool.PoolUser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code bin/cognito/list-users [prod]}: the pool's users with preferred_username and sub. */
public final class CognitoTool {

    private final PrintStream out;

    public CognitoTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CognitoTool(System.out).run(List.of(args), System.getenv(), System.err));
    }

    public int run(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            List<String> rest = new ArrayList<>(args);
            boolean prod = rest.remove("prod");
            if (rest.size() != 1 || !rest.get(0).equals("list-users")) {
                throw new ToolException(ToolException.USAGE, "usage: bin/cognito/list-users [prod]");
            }
            CognitoUserPool pool = ToolTarget.resolve(prod, env).cognito(env);
            listUsers(pool);
            return 0;
        } catch (RuntimeException e) {
            return ToolException.report(e, args.contains("prod"), err);
        }
    }

    private void listUsers(CognitoUserPool pool) {
        List<PoolUser> users = new ArrayList<>(pool.listUsers());
        users.sort(Comparator.comparing((PoolUser u) -> u.preferredUsername().orElse("")).thenComparing(PoolUser::signInName));
        int width = Math.max("preferred_username".length(),
                users.stream().mapToInt(u -> u.preferredUsername().orElse("-").length()).max().orElse(0));
        String format = "%-" + width + "s  %-36s  %s%n";
        out.printf(format, "preferred_username", "sub", "sign-in name (status)");
        for (PoolUser user : users) {
            out.printf(format, user.preferredUsername().orElse("-"), user.sub(),
                    user.signInName() + " (" + user.status() + (user.enabled() ? "" : ", disabled") + ")");
        }
        out.println(users.size() + (users.size() == 1 ? " user" : " users") + " in pool " + pool.poolId());
    }
}
