package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What follows a DynamoDB call runs with the caller's context class loader, wherever the answer arrives. */
class DynamoCallsTest {

    @Test
    void theContinuationHasTheCallersContextClassLoaderOnTheAnsweringThread() throws Exception {
        ClassLoader callers = new URLClassLoader(new URL[0], getClass().getClassLoader());
        ClassLoader sdks = new URLClassLoader(new URL[0], getClass().getClassLoader());
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread sdk = new Thread(() -> answer.complete("item"), "sdk-thread");
        sdk.setContextClassLoader(sdks);

        Thread caller = Thread.currentThread();
        ClassLoader before = caller.getContextClassLoader();
        caller.setContextClassLoader(callers);
        CompletableFuture<String> result;
        try {
            result = DynamoCalls.call(() -> answer).invoke(item -> {
                seen.set(Thread.currentThread().getContextClassLoader());
                ranOn.set(Thread.currentThread());
            }).subscribeAsCompletionStage().toCompletableFuture();
        } finally {
            caller.setContextClassLoader(before);
        }
        sdk.start();

        assertEquals("item", result.get(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertSame(callers, seen.get(), "the caller's loader");
        assertSame(sdk, ranOn.get(), "on the answering thread, no hop");
        sdk.join();
        assertSame(sdks, sdk.getContextClassLoader(), "the SDK's thread gets its own loader back");
    }
}
