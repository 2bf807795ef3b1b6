package app.cruddur.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Starts DynamoDB Local, PostgreSQL and cognito-local, prints one {@code LOCAL-STACK-READY {json}}
 * line with their coordinates, then obeys commands on standard input ({@code stop dynamodb},
 * {@code start postgres}, ...). When standard input closes (the parent went away) it stops
 * everything it started.
 */
public final class LocalStackMain {

    static final String READY = "LOCAL-STACK-READY ";
    static final String FAILED = "LOCAL-STACK-FAILED ";

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(FAILED + e.getMessage());
            System.exit(2);
            return;
        }
        // Keep the stack's own logging off the parent's console: it goes to the work directory.
        System.setOut(new PrintStream(Files.newOutputStream(options.workDir().resolve("local-stack.log")), true));
        System.setErr(System.out);

        LocalStack stack = new LocalStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start();
        } catch (PortInUseException e) {
            out.println(FAILED + e.getMessage());
            stack.stop();
            System.exit(3);
            return;
        } catch (Exception e) {
            e.printStackTrace();
            out.println(FAILED + e.getMessage() + " (see " + options.workDir().resolve("local-stack.log") + ")");
            stack.stop();
            System.exit(1);
            return;
        }

        String coordinates = new ObjectMapper().writeValueAsString(stack.coordinates());
        if (options.coordinatesFile() != null) {
            Files.createDirectories(options.coordinatesFile().toAbsolutePath().getParent());
            Files.writeString(options.coordinatesFile(), coordinates);
        }
        out.println(READY + coordinates);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String reply;
            try {
                reply = "OK " + stack.command(line.trim());
            } catch (Exception e) {
                e.printStackTrace();
                reply = "ERROR " + e.getMessage();
            }
            out.println(reply);
        }
        stack.stop();
        System.exit(0);
    }

    private LocalStackMain() {
    }
}
