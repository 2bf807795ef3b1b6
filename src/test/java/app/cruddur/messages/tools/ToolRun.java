package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One run of a command-line tool, in this JVM or as a process: its exit code and what it printed to each stream. */
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

    /** Runs a command as its own process, which must finish within {@code seconds}. */
    static ToolRun ofProcess(ProcessBuilder command, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        try {
            Process process = command.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command.command()) + " did not finish");
            return new ToolRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
