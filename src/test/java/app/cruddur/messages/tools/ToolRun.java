package app.cruddur.messages.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One run of a command-line tool in this JVM: its exit code and what it printed to each stream. */
record ToolRun(int code, String out, String err) {

    /** A tool's {@code run(args, env, err)}, as each tool class has it. */
    @FunctionalInterface
    interface Tool {
        int run(List<String> args, Map<String, String> env, PrintStream err);
    }

    /** Runs the tool made for a fresh standard output, with the given environment and arguments. */
    static ToolRun of(Function<PrintStream, Tool> tool, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = tool.apply(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of(args), env, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
