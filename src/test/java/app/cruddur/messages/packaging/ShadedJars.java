package app.cruddur.messages.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Lambda artifacts that packaging writes beside the service: target/cruddur-messages-<version>-<classifier>.jar. */
final class ShadedJars {

    private ShadedJars() {
    }

    /** The jar of this classifier exactly ("lambda" is not "signup-lambda"). */
    static Path of(String classifier) throws IOException {
        Pattern name = Pattern.compile("cruddur-messages-\\d+(\\.\\d+)*(-SNAPSHOT)?-" + Pattern.quote(classifier) + "\\.jar");
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(path -> name.matcher(path.getFileName().toString()).matches()).findFirst()
                    .orElseThrow(() -> new AssertionError("package first: target/cruddur-messages-*-" + classifier + ".jar"));
        }
    }
}
