package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Runs after packaging: the sign-up trigger's jar holds its handler and what it needs, nothing of the service, and loads alone. */
class SignUpLambdaArtifactIT {

    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
    private static final String HANDLER = "app.cruddur.messages.user.signup.SignUpLambdaHandler";
    private static final List<String> FORBIDDEN = List.of(
            "io/quarkus/", "io/vertx/", "io/netty/", "io/smallrye/", "jakarta/", "org/jboss/", "com/fasterxml/", "redis/",
            "org/flywaydb/", "org/apache/http/", "software/amazon/awssdk/services/", "software/amazon/dax/", "org/joda/",
            "osx/", "windows/");
    /** Its own package, the signed call to Secrets Manager, and the part names that call carries. */
    private static final List<String> OWN = List.of("app/cruddur/messages/user/signup/", "app/cruddur/messages/aws/",
            "app/cruddur/messages/table/Caller");

    @Test
    void holdsTheHandlerThePostgresDriverAndTheSignedCallAndNothingOfTheService() throws IOException {
        Path jar = ShadedJars.of("signup-lambda");
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = Collections.list(file.entries()).stream().map(entry -> entry.getName()).toList();
        }
        for (String needed : List.of(
                "app/cruddur/messages/user/signup/SignUpLambdaHandler.class",
                "app/cruddur/messages/table/Caller.class",
                "app/cruddur/messages/aws/AwsJsonCall.class",
                "com/amazonaws/services/lambda/runtime/RequestHandler.class",
                "com/amazonaws/services/lambda/runtime/events/CognitoUserPoolPostConfirmationEvent.class",
                "org/postgresql/Driver.class",
                "software/amazon/awssdk/http/crt/AwsCrtHttpClient.class",
                "software/amazon/awssdk/http/auth/aws/signer/AwsV4HttpSigner.class",
                "software/amazon/awssdk/auth/credentials/DefaultCredentialsProvider.class",
                "software/amazon/awssdk/protocols/jsoncore/JsonNode.class",
                "linux/x86_64/glibc/libaws-crt-jni.so",
                "linux/armv8/glibc/libaws-crt-jni.so")) {
            assertTrue(entries.contains(needed), "the sign-up jar lacks " + needed);
        }
        for (String entry : entries) {
            for (String forbidden : FORBIDDEN) {
                assertFalse(entry.startsWith(forbidden), "the sign-up jar contains " + entry);
            }
            if (entry.startsWith("app/") && entry.endsWith(".class")) {
                assertTrue(OWN.stream().anyMatch(entry::startsWith), "the sign-up jar contains the service's " + entry);
            }
            if (entry.startsWith("com/amazonaws/services/lambda/runtime/events/") && !entry.endsWith("/")) {
                assertTrue(entry.startsWith(EVENTS.replace('.', '/') + "CognitoUserPool"), "an event type it never gets: " + entry);
            }
        }
        System.out.printf("Sign-up Lambda artifact %s: %.1f MB, %d entries%n", jar.getFileName(), Files.size(jar) / 1e6, entries.size());
    }

    @Test
    void theHandlerLoadsFromTheArtifactAloneRefusesAHandlelessUserAndLetsAPasswordResetThrough() throws Exception {
        Path jar = ShadedJars.of("signup-lambda");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> handlerClass = loader.loadClass(HANDLER);
            // No database is reached: the password reset needs none, and the refusal comes before one.
            Object handler = handlerClass.getConstructor(String.class, String.class, Path.class, String.class, String.class)
                    .newInstance("postgresql://127.0.0.1:1/none", "disable", Path.of("none.pem"), "nobody", "nothing");
            Class<?> eventClass = loader.loadClass(EVENTS + "CognitoUserPoolPostConfirmationEvent");
            Method handle = handlerClass.getMethod("handleRequest", eventClass,
                    loader.loadClass("com.amazonaws.services.lambda.runtime.Context"));

            Object reset = event(loader, "PostConfirmation_ConfirmForgotPassword", Map.of("sub", "s-1", "email", "r@cruddur.test"));
            assertSame(reset, handle.invoke(handler, reset, null));

            Object handleless = event(loader, "PostConfirmation_ConfirmSignUp", Map.of("sub", "s-2", "name", "N", "email", "n@cruddur.test"));
            InvocationTargetException refused = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
                    () -> handle.invoke(handler, handleless, null));
            assertEquals(HANDLER.replace("SignUpLambdaHandler", "SignUpRefusedException"), refused.getCause().getClass().getName());
            assertSame(loader, refused.getCause().getClass().getClassLoader(), "from the artifact");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static Object event(ClassLoader loader, String triggerSource, Map<String, String> attributes) throws Exception {
        Class<?> eventClass = loader.loadClass(EVENTS + "CognitoUserPoolPostConfirmationEvent");
        Class<?> requestClass = loader.loadClass(EVENTS + "CognitoUserPoolPostConfirmationEvent$Request");
        Object request = requestClass.getConstructor().newInstance();
        requestClass.getMethod("setUserAttributes", Map.class).invoke(request, attributes);
        Object event = eventClass.getConstructor().newInstance();
        eventClass.getMethod("setTriggerSource", String.class).invoke(event, triggerSource);
        eventClass.getMethod("setRequest", requestClass).invoke(event, request);
        return event;
    }
}
