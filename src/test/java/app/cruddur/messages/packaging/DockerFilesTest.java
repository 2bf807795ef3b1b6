package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static app.cruddur.messages.support.ProdConfig.value;

import app.cruddur.messages.support.FrontendSettings;
import app.cruddur.messages.support.ProdConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of docker/ without Docker: the compose file's environment resolves, under
 * the prod profile and the service's own application.properties, to the containers it starts; its
 * ports match docker/coordinates.json (what the tools and bin/local-token read) and the mounted
 * Cognito pool; both images run as a non-root user with a health check on the service's port.
 * That the JVM image's COPY sources exist after package is checked by {@link DockerImageIT}.
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("docker");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theComposeEnvironmentConfiguresTheServiceForItsContainers() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
        JsonNode messages = compose.path("services").path("messages");
        Map<String, String> env = new HashMap<>();
        messages.path("environment").fields().forEachRemaining(field -> env.put(field.getKey(), field.getValue().asText()));

        SmallRyeConfig config = ProdConfig.of(env);

        assertEquals("http://dynamodb:8000", value(config, "quarkus.dynamodb.endpoint-override"));
        assertEquals("us-east-1", value(config, "quarkus.dynamodb.aws.region"));
        assertEquals("cruddur-messages", value(config, "cruddur.messages.table.name"));
        assertEquals("true", value(config, "cruddur.messages.table.create-if-missing"));
        assertEquals("true", value(config, "cruddur.messages.stream-consumer.enabled"));
        assertEquals("postgresql://postgres:5432/cruddur", value(config, "quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://postgres:5432/cruddur", value(config, "quarkus.datasource.jdbc.url"));
        assertEquals("http://cognito:9229/local_cruddur", value(config, "quarkus.oidc.auth-server-url"));
        assertEquals("http://localhost:9229/local_cruddur", value(config, "quarkus.oidc.token.issuer"));
        assertEquals("cruddurwebclientlocal0001", value(config, "quarkus.oidc.client-id"));
        assertEquals("alias/cruddur-messages-local", value(config, "cruddur.messages.encryption.kms-key-id"));
        assertEquals("true", value(config, "cruddur.messages.encryption.create-key-table-if-missing"));
        // The compose PostgreSQL has no TLS, and no CA file is configured that the image lacks.
        assertEquals("disable", value(config, "quarkus.datasource.reactive.postgresql.ssl-mode"));
        assertFalse(config.getOptionalValue("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class).isPresent());

        // Every variable the compose file sets is one the service reads.
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        for (String name : env.keySet()) {
            boolean referenced = properties.contains("${" + name);
            boolean mapsToAProperty = name.startsWith("QUARKUS_") || name.startsWith("CRUDDUR_");
            boolean sdk = name.startsWith("AWS_");
            assertTrue(referenced || mapsToAProperty || sdk, name + " is not read by the service");
        }

        // The containers the environment names exist, with the ports it uses.
        JsonNode services = compose.path("services");
        assertTrue(ports(services.path("dynamodb")).contains("8000:8000"));
        // Shared, so that the seed's scripts with a developer's own credentials and region see the table.
        assertTrue(services.path("dynamodb").path("command").toString().contains("\"-sharedDb\""));
        assertTrue(ports(services.path("postgres")).contains("5433:5432"));
        assertEquals("cruddur", services.path("postgres").path("environment").path("POSTGRES_DB").asText());
        assertTrue(ports(services.path("cognito")).contains("9229:9229"));
        assertTrue(ports(messages).contains("8080:8080"));
        // The texts' KMS key: the service reaches it in the network, the tools on dev mode's port.
        assertTrue(ports(services.path("kms")).contains("4599:8080"));
        assertEquals("http://kms:8080", env.get("CRUDDUR_MESSAGES_ENCRYPTION_KMS_ENDPOINT"));
        assertTrue(services.path("kms-key").path("command").toString().contains("--alias-name " + env.get("MESSAGES_KMS_KEY_ID")),
                "the one-shot client makes the key the service names");
        assertEquals("docker/Dockerfile.jvm", messages.path("build").path("dockerfile").asText());
    }

    @Test
    void theCoordinatesFileDescribesTheComposeStack() throws IOException {
        JsonNode coordinates = JSON.readTree(DOCKER.resolve("coordinates.json").toFile());
        assertEquals("http://localhost:8000", coordinates.path("dynamodbEndpoint").asText());
        assertEquals(5433, coordinates.path("postgresPort").asInt());
        assertEquals("cruddur", coordinates.path("postgresDatabase").asText());
        assertEquals("http://localhost:9229", coordinates.path("cognitoEndpoint").asText());
        assertEquals("http://localhost:4599", coordinates.path("kmsEndpoint").asText());
        assertEquals("alias/cruddur-messages-local", coordinates.path("kmsKeyId").asText());

        Path db = DOCKER.resolve("cognito/.cognito/db");
        String poolId = coordinates.path("cognitoUserPoolId").asText();
        // The same pool and client ids as the embedded local stack's, which the README gives the frontend.
        assertEquals(FrontendSettings.USER_POOL_ID, poolId);
        assertEquals(FrontendSettings.CLIENT_ID, coordinates.path("cognitoClientId").asText());
        // A pool file without options: cognito-local gives it its defaults and the config's UserPoolDefaults.
        JsonNode pool = JSON.readTree(db.resolve(poolId + ".json").toFile());
        assertTrue(pool.path("Users").isObject());
        assertTrue(pool.path("Options").isMissingNode());
        JsonNode client = JSON.readTree(db.resolve("clients.json").toFile()).path("Clients").path(coordinates.path("cognitoClientId").asText());
        assertEquals(poolId, client.path("UserPoolId").asText());
        assertTrue(client.path("ExplicitAuthFlows").toString().contains("ALLOW_USER_PASSWORD_AUTH"),
                "the frontend (authenticationFlowType USER_PASSWORD_AUTH) and bin/local-token sign in with a password");
        JsonNode config = JSON.readTree(DOCKER.resolve("cognito/.cognito/config.json").toFile());
        assertEquals("http://localhost:9229", config.path("TokenConfig").path("IssuerDomain").asText());
        // People sign in with their email, as in Cruddur's pool; emails count as verified.
        assertEquals("[\"email\"]", config.path("UserPoolDefaults").path("UsernameAttributes").toString());
        assertEquals("[\"email\"]", config.path("UserPoolDefaults").path("AutoVerifiedAttributes").toString());
        assertEquals(coordinates.path("cognitoEndpoint").asText() + "/" + poolId, coordinates.path("cognitoIssuer").asText());
    }

    @Test
    void bothImagesRunAsANonRootUserWithAHealthCheckOnTheManagementPort() throws IOException {
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            String dockerfile = Files.readString(DOCKER.resolve(file));
            List<String> users = matches(dockerfile, "(?m)^USER\\s+(\\S+)");
            String finalUser = users.get(users.size() - 1);
            assertFalse(finalUser.equals("root") || finalUser.equals("0"), file + " runs as " + finalUser);
            assertTrue(dockerfile.contains("EXPOSE 8080 9000"), file);
            assertTrue(dockerfile.matches("(?s).*HEALTHCHECK .*curl -fsS http://localhost:9000/q/health/live.*"), file);
        }
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            // The CA bundle where the service looks for it by default (POSTGRES_CA_FILE).
            assertTrue(Files.readString(DOCKER.resolve(file)).contains(
                    "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /deployments/rds-ca.pem"), file);
        }
        String nativeFile = Files.readString(DOCKER.resolve("Dockerfile.native"));
        // The builder stage gets exactly what the build needs, and each of those exists.
        for (String source : matches(nativeFile, "(?m)^COPY --chown=\\S+ (.+) /code/\\S*$")) {
            for (String path : source.split("\\s+")) {
                assertTrue(Files.exists(Path.of(path)), "Dockerfile.native copies " + path);
            }
        }
        assertTrue(nativeFile.contains("-Dnative"));
    }

    @Test
    void bothImagesBoundTheHeapAsTheOptionsFileSays() throws IOException {
        List<String> options = Files.readAllLines(DOCKER.resolve("jvm.options")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        String maxHeap = options.stream().filter(option -> option.startsWith("-Xmx")).findFirst().orElseThrow();
        String jvm = Files.readString(DOCKER.resolve("Dockerfile.jvm"));
        assertTrue(jvm.contains("COPY --chown=185 docker/jvm.options /deployments/jvm.options"));
        assertTrue(jvm.contains("ENV MALLOC_ARENA_MAX=2"));
        assertTrue(Files.readString(DOCKER.resolve("Dockerfile.jvm.dockerignore")).contains("!docker/jvm.options"));
        // The native executable takes the same heap bound (its collector is always serial).
        assertTrue(Files.readString(DOCKER.resolve("Dockerfile.native")).contains("\"" + maxHeap + "\""));
    }

    private static String ports(JsonNode service) {
        return service.path("ports").toString();
    }

    private static List<String> matches(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /**
     * One Java everywhere: the image's JDK is the release the pom compiles for and the JVM these tests
     * run on (./mvnw takes it from bin/java-home), so the packaged ITs prove what the image runs.
     */
    @Test
    void theImageRunsTheJavaTheServiceIsBuiltAndTestedOn() throws IOException {
        Matcher from = Pattern.compile("(?m)^FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-(\\d+)-runtime:\\S+ AS service$")
                .matcher(Files.readString(DOCKER.resolve("Dockerfile.jvm")));
        assertTrue(from.find(), "docker/Dockerfile.jvm starts from a UBI OpenJDK runtime image");
        int imageJava = Integer.parseInt(from.group(1));
        Matcher release = Pattern.compile("<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(release.find());
        assertEquals(25, imageJava);
        assertEquals(imageJava, Integer.parseInt(release.group(1)), "the pom's release");
        assertEquals(imageJava, Runtime.version().feature(), "the JVM the tests run on");
    }
}
