package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/java-home, which ./mvnw, .ci/run and bin/ take the JDK from: JAVA_HOME when it is Java 25 or
 * newer, otherwise one found on the machine, whatever JAVA_HOME says.
 */
class JavaHomeTest {

    @Test
    void takesJavaHomeWhenItIsANewEnoughJdk(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk-26"), "26.0.1");

        assertEquals(jdk.toString(), javaHome(Map.of("JAVA_HOME", jdk.toString())));
    }

    @Test
    void findsAJdk25WhenJavaHomeIsAnOlderOne(@TempDir Path dir) throws Exception {
        Path old = fakeJdk(dir.resolve("jdk-17"), "17.0.15");

        String found = javaHome(Map.of("JAVA_HOME", old.toString()));

        String release = Files.readString(Path.of(found, "release"));
        assertTrue(release.contains("JAVA_VERSION=\"25"), found + ": " + release);
    }

    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path javac = Files.writeString(home.resolve("bin/javac"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(javac, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static String javaHome(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bin/java-home").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
