package app.cruddur.messages.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options of docker/Dockerfile.jvm's commands, for a JVM on this machine: the image's paths
 * under /deployments mapped to the project's, everything else as the image has it, so that what
 * runs here is what the image runs. The first CMD is the stage the cache is recorded in, the last
 * the image that ships; both end in {@code -jar /deployments/quarkus-run.jar}, which
 * {@link app.cruddur.messages.support.ServiceProcess} adds for target/quarkus-app.
 */
final class ImageCommand {

    private static final Pattern CMD = Pattern.compile("(?m)^CMD \\[(.*)]$");
    private static final Pattern ARGUMENT = Pattern.compile("\"([^\"]*)\"");

    private ImageCommand() {
    }

    /** The options of the image that ships, with its AOT cache at {@code cache}. */
    static List<String> shipped(Path root, Path cache) {
        List<String> commands = commands(root);
        return options(commands.get(commands.size() - 1), root, cache);
    }

    /**
     * The options that record a cache into {@code cache}: the cache's own stage's, then
     * docker/aot-training.options, then {@code -XX:AOTCacheOutput}.
     */
    static List<String> recording(Path root, Path cache) {
        List<String> options = new ArrayList<>(options(commands(root).get(0), root, cache));
        options.add("@" + root.resolve("docker/aot-training.options"));
        options.add("-XX:AOTCacheOutput=" + cache);
        return options;
    }

    private static List<String> commands(Path root) {
        try {
            Matcher cmd = CMD.matcher(Files.readString(root.resolve("docker/Dockerfile.jvm")));
            List<String> commands = new ArrayList<>();
            while (cmd.find()) {
                commands.add(cmd.group(1));
            }
            if (commands.size() != 2) {
                throw new IllegalStateException("docker/Dockerfile.jvm: expected two CMDs (the stage a cache is recorded in, the image), found "
                        + commands);
            }
            return commands;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> options(String cmd, Path root, Path cache) {
        List<String> arguments = new ArrayList<>();
        Matcher argument = ARGUMENT.matcher(cmd);
        while (argument.find()) {
            arguments.add(argument.group(1));
        }
        int jar = arguments.indexOf("-jar");
        if (jar < 0 || !arguments.subList(jar, arguments.size()).equals(List.of("-jar", "/deployments/quarkus-run.jar"))) {
            throw new IllegalStateException("the image's command does not end in -jar /deployments/quarkus-run.jar: " + arguments);
        }
        List<String> options = new ArrayList<>();
        for (String option : arguments.subList(0, jar)) {
            if (option.equals("@/deployments/jvm.options")) {
                options.add("@" + root.resolve("docker/jvm.options"));
            } else if (option.equals("-XX:AOTCache=/deployments/app.aot")) {
                options.add("-XX:AOTCache=" + cache);
            } else if (option.contains("/deployments/")) {
                throw new IllegalStateException("no mapping here for the image's path in " + option);
            } else {
                options.add(option);
            }
        }
        return options;
    }
}
