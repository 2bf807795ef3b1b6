package app.cruddur.messages.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's grain, on the service's compiled classes: every package a room, every arrow
 * between rooms pointing down, never round in a circle. The lowest rooms (the error vocabulary,
 * the settings, the table's storage) import nothing of the rooms above them.
 */
class ArchitectureTest {

    private static final String ROOT = "app.cruddur.messages";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    @Test
    void theServiceIsRead() {
        // A rule over no classes passes whatever it says.
        assertTrue(classes.size() > 100, "classes read: " + classes.size());
    }

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theErrorVocabularyImportsNoFeature() {
        importsOnly("error", "every feature maps its failures through it: its exceptions carry their codes");
    }

    @Test
    void theSettingsImportNoFeature() {
        importsOnly("config", "each feature reads its settings; no setting depends on a feature");
    }

    @Test
    void theTableImportsNothingAboveIt() {
        importsOnly("table", "the storage is shared by the service, the stream Lambda and the tools",
                "config", "error");
    }

    @Test
    void whatTheLambdaSharesWithTheServiceImportsNothingAroundIt() {
        // The shade filter of the stream Lambda's jar names these packages (pom.xml).
        String[] shared = {ROOT + ".table", ROOT + ".projection", ROOT + ".events.wire", ROOT + ".trace.wire", ROOT + ".view",
            ROOT + ".error"};
        String[] lambda = Arrays.copyOf(shared, shared.length + 1);
        lambda[shared.length] = ROOT + ".projection.lambda";
        noClasses().that().resideInAnyPackage(lambda)
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(resideInAnyPackage(lambda).negate()))
                .because("the stream Lambda's jar holds these packages and nothing else of the service")
                .check(classes);
        noClasses().that().resideInAnyPackage(lambda)
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "jakarta.enterprise..", "jakarta.inject..",
                        "io.quarkus..", "io.vertx..", "org.jboss.resteasy..")
                .because("the Lambda runs without Quarkus, CDI or the web stack")
                .check(classes);
    }

    @Test
    void theTraceRoomImportsNoFeature() {
        importsOnly("trace", "every feature's work joins a trace through it; it knows none of them");
    }

    @Test
    void theRedisRoomImportsNoFeature() {
        importsOnly("redis", "events, blocks and limits use it side by side; it knows none of them");
    }

    @Test
    void theCipherRoomImportsOnlyTheStorageBelowIt() {
        importsOnly("cipher", "the texts' keys are opened for the features that show texts; it knows none of them",
                "table", "aws", "config", "error");
        importsOnly("aws", "a signed call to an AWS API knows nothing of what it is for");
    }

    @Test
    void onlyTheCipherRoomHoldsKeys() {
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(ROOT + ".cipher..")
                .should().dependOnClassesThat().resideInAPackage("com.google.crypto.tink..")
                .because("keys are made, wrapped, opened and cached in one room (cipher/); the items only call table/TextKey")
                .check(classes);
    }

    @Test
    void onlyTheRedisRoomHoldsRedisConnections() {
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(ROOT + ".redis..")
                .and().resideOutsideOfPackage(ROOT + ".projection.lambda..")
                .should().dependOnClassesThat(resideInAPackage("io.quarkus.redis..")
                        .or(name("io.vertx.mutiny.redis.client.Redis")).or(name("io.vertx.mutiny.redis.client.RedisConnection")))
                .because("the connections, their reconnection and their health are the Redis room's (redis/)")
                .check(classes);
    }

    @Test
    void noRoomUsesAnotherRoomsRestLayer() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".." + "rest..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "..rest..")
                .because("the REST resources are the top of the house: nothing is built on them")
                .check(classes);
    }

    /** Classes of {@code room} use of this service's classes only those of {@code room} and {@code below}. */
    private static void importsOnly(String room, String reason, String... below) {
        String[] allowed = Arrays.stream(below).map(name -> ROOT + "." + name + "..").toArray(String[]::new);
        String[] own = Arrays.copyOf(allowed, allowed.length + 1);
        own[allowed.length] = ROOT + "." + room + "..";
        noClasses().that().resideInAPackage(ROOT + "." + room + "..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(resideInAnyPackage(own).negate()))
                .because(reason)
                .check(classes);
    }
}
