package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Runs after packaging: the Lambda artifact holds no web stack and its handler runs on its own. */
class LambdaArtifactIT {

    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
    private static final List<String> FORBIDDEN = List.of(
            "io/quarkus/", "io/vertx/", "io/netty/", "org/postgresql/", "jakarta/ws/", "org/jboss/resteasy/",
            "app/cruddur/messages/conversation/", "app/cruddur/messages/localstack/", "app/cruddur/messages/user/",
            "app/cruddur/messages/block/", "app/cruddur/messages/limits/", "app/cruddur/messages/health/",
            "app/cruddur/messages/postgres/", "app/cruddur/messages/config/", "app/cruddur/messages/table/wiring/",
            "app/cruddur/messages/error/http/", "app/cruddur/messages/projection/consumer/", "app/cruddur/messages/events/rest/");

    @Test
    void holdsTheProjectionAndNoWebStack() throws IOException {
        Path jar = ShadedJars.of("lambda");
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = Collections.list(file.entries()).stream().map(entry -> entry.getName()).toList();
        }
        assertTrue(entries.contains("app/cruddur/messages/projection/lambda/StreamLambdaHandler.class"));
        assertTrue(entries.contains("app/cruddur/messages/projection/ListProjection.class"));
        assertTrue(entries.contains("app/cruddur/messages/projection/ListEntryMoves.class"));
        assertTrue(entries.contains("linux/x86_64/glibc/libaws-crt-jni.so"), "CRT natives for Lambda x86_64");
        assertTrue(entries.contains("linux/armv8/glibc/libaws-crt-jni.so"), "CRT natives for Lambda arm64");
        assertTrue(entries.contains("app/cruddur/messages/projection/lambda/LambdaEventPublisher.class"));
        assertTrue(entries.contains("app/cruddur/messages/projection/lambda/UnreadableRecordsMetric.class"), "the EMF metric");
        assertTrue(entries.contains("app/cruddur/messages/events/wire/UserEvent.class"), "the events it publishes");
        assertTrue(entries.contains("redis/clients/jedis/Jedis.class"), "its Redis client");
        assertTrue(entries.contains("com/fasterxml/jackson/databind/ObjectMapper.class"), "the events' JSON");
        assertTrue(entries.contains("org/joda/time/DateTime.class"), "the joda-time Lambda's runtime reads the event types' dates with");
        for (String entry : entries) {
            for (String forbidden : FORBIDDEN) {
                assertFalse(entry.startsWith(forbidden), "the Lambda artifact contains " + entry);
            }
            // Of the events room, the Lambda takes the wire format only.
            assertFalse(entry.startsWith("app/cruddur/messages/events/") && !entry.startsWith("app/cruddur/messages/events/wire/")
                    && entry.endsWith(".class"), "the Lambda artifact contains " + entry);
            assertFalse(entry.startsWith("osx/") || entry.startsWith("windows/"), "natives Lambda never loads: " + entry);
        }
        System.out.printf("Lambda artifact %s: %.1f MB, %d entries%n", jar.getFileName(), Files.size(jar) / 1e6, entries.size());
    }

    /**
     * The shade filter names what the Lambda takes of the service: each of those classes loads from
     * the jar alone, with the types its fields and methods name (a superclass or an exception left
     * out would fail the first invocation that reaches it, not this build).
     */
    @Test
    void everyClassOfTheServiceInTheJarLoadsFromTheJarAlone() throws Exception {
        Path jar = ShadedJars.of("lambda");
        List<String> names;
        try (JarFile file = new JarFile(jar.toFile())) {
            names = Collections.list(file.entries()).stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("app/cruddur/messages/") && name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        assertTrue(names.size() > 20, "the service's classes in the jar: " + names);
        List<String> failed = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                try {
                    Class<?> loaded = Class.forName(name, false, loader);
                    loaded.getDeclaredFields();
                    loaded.getDeclaredMethods();
                    loaded.getDeclaredConstructors();
                } catch (LinkageError | ClassNotFoundException e) {
                    failed.add(name + ": " + e);
                }
            }
        }
        assertEquals(List.of(), failed, "classes of the Lambda jar that need what it does not hold");
    }

    @Test
    void theHandlerRunsFromTheArtifactAloneAndCountsAnUnreadableRecord() throws Exception {
        Path jar = ShadedJars.of("lambda");
        long start = System.nanoTime();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            // As in Lambda's runtime: service lookups (Mutiny's, the SDK's) see the function's jar only.
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> handlerClass = loader.loadClass("app.cruddur.messages.projection.lambda.StreamLambdaHandler");
            Object handler = handlerClass.getConstructor().newInstance();
            long constructed = System.nanoTime();

            Class<?> eventClass = loader.loadClass(EVENTS + "DynamodbEvent");
            Object event = eventClass.getConstructor().newInstance();
            eventClass.getMethod("setRecords", List.class).invoke(event, List.of(
                    record(loader, "REMOVE", "100", null),
                    record(loader, "INSERT", "101", Map.of("pk", "MSG#" + UUID.randomUUID(), "sk", "not a time"))));
            Class<?> contextClass = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
            List<String> logged = new ArrayList<>();
            Method handle = handlerClass.getMethod("handleRequest", eventClass, contextClass);
            Object response = handle.invoke(handler, event, context(loader, contextClass, logged));
            long handled = System.nanoTime();

            List<?> failures = (List<?>) response.getClass().getMethod("getBatchItemFailures").invoke(response);
            assertEquals(List.of(), failures, "an unreadable record is not retried");
            List<String> metrics = logged.stream().filter(line -> line.startsWith("{\"_aws\"")).toList();
            assertEquals(1, metrics.size(), "one EMF document: " + logged);
            assertTrue(metrics.get(0).contains("\"UnreadableStreamRecords\":1"), metrics.get(0));
            System.out.printf("Lambda handler from the artifact alone: constructed in %d ms, first batch in %d ms%n",
                    (constructed - start) / 1_000_000, (handled - constructed) / 1_000_000);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** A Context of the artifact's own class, whose logger adds each log event to {@code logged}. */
    private static Object context(ClassLoader loader, Class<?> contextClass, List<String> logged) throws ClassNotFoundException {
        Class<?> loggerClass = loader.loadClass("com.amazonaws.services.lambda.runtime.LambdaLogger");
        Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerClass}, (proxy, method, args) -> {
            if (method.getName().equals("log") && args != null && args[0] instanceof String message) {
                logged.add(message);
            }
            return null;
        });
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextClass},
                (proxy, method, args) -> method.getName().equals("getLogger") ? logger : null);
    }

    private static Object record(ClassLoader loader, String eventName, String sequence, Map<String, String> image) throws Exception {
        Class<?> recordClass = loader.loadClass(EVENTS + "DynamodbEvent$DynamodbStreamRecord");
        Object record = recordClass.getConstructor().newInstance();
        recordClass.getMethod("setEventName", String.class).invoke(record, eventName);
        Class<?> streamRecordClass = loader.loadClass(EVENTS + "models.dynamodb.StreamRecord");
        Object streamRecord = streamRecordClass.getConstructor().newInstance();
        streamRecordClass.getMethod("setSequenceNumber", String.class).invoke(streamRecord, sequence);
        if (image != null) {
            Class<?> valueClass = loader.loadClass(EVENTS + "models.dynamodb.AttributeValue");
            Map<String, Object> values = new java.util.HashMap<>();
            for (Map.Entry<String, String> attribute : image.entrySet()) {
                Object value = valueClass.getConstructor().newInstance();
                valueClass.getMethod("setS", String.class).invoke(value, attribute.getValue());
                values.put(attribute.getKey(), value);
            }
            streamRecordClass.getMethod("setNewImage", Map.class).invoke(streamRecord, values);
        }
        recordClass.getMethod("setDynamodb", streamRecordClass).invoke(record, streamRecord);
        return record;
    }
}
