package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a person's browser sees: Debian's headless Chromium, driven by playwright-core, opens a
 * small page on another origin that takes a ticket and opens EventSource with it, and the page
 * receives a message posted through the API, within 1 s of the POST's answer (the test page and
 * its driver are in src/test/browser; npm installs playwright-core, never a browser).
 */
class BrowserEventSourceIT {

    private static final Path BROWSER = Path.of("src", "test", "browser");
    private static final Path WORK = Path.of("target", "browser-test");
    private static LocalStackProcess stack;
    private static ServiceProcess service;
    private static HttpServer page;

    @BeforeAll
    static void serviceAndPage() throws Exception {
        stack = LocalStackTestResource.started();
        page = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        byte[] html = Files.readAllBytes(BROWSER.resolve("events.html"));
        page.createContext("/events.html", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        page.start();
        String origin = "http://localhost:" + page.getAddress().getPort();
        service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, Files.createTempFile("browser", ".log"),
                Map.of("FRONTEND_ORIGINS", origin));
        installDriver();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (page != null) {
            page.stop(0);
        }
    }

    @Test
    void aPageWithEventSourceAndATicketSeesAPostedMessageWithinOneSecond() throws Exception {
        Member reader = UsersTable.signUp(stack, "browr");
        Member writer = UsersTable.signUp(stack, "broww");
        Path screenshot = WORK.resolve("events-page.png").toAbsolutePath();
        String pageUrl = "http://localhost:" + page.getAddress().getPort() + "/events.html";
        Process node = new ProcessBuilder("node", "events-in-chromium.mjs", pageUrl, service.baseUri().toString(),
                reader.token(), writer.token(), reader.handle(), screenshot.toString())
                .directory(WORK.toFile()).redirectErrorStream(true).start();
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the browser run ended");
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), output);
        List<String> lines = output.lines().filter(line -> line.startsWith("{")).toList();
        assertEquals(1, lines.size(), output);
        JsonNode result = new ObjectMapper().readTree(lines.get(0));
        JsonNode event = result.path("event");
        assertEquals(result.path("sent").asText(), event.path("data").path("message").asText());
        assertEquals(writer.handle(), event.path("data").path("handle").asText());
        assertTrue(event.path("id").asText().contains("/m/"), "EventSource saw the event's id: " + event);
        long afterAnswer = event.path("at").asLong() - result.path("postAnsweredAt").asLong();
        System.out.printf("[browser] the page received the message %d ms %s the POST's answer; screenshot %s%n",
                Math.abs(afterAnswer), afterAnswer < 0 ? "before" : "after", screenshot);
        assertTrue(afterAnswer <= 1000, "received " + afterAnswer + " ms after the POST answered");
        assertTrue(Files.size(screenshot) > 0);
    }

    /** playwright-core from npm (pinned by the lock file) next to a copy of the driver; Chromium is Debian's. */
    private static void installDriver() throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), chromium + " is missing: install Debian's chromium (.ci/run does)");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "events-in-chromium.mjs")) {
            Files.copy(BROWSER.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(WORK.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(WORK.resolve("npm-ci.log").toFile()).start();
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm ci failed; see " + WORK.resolve("npm-ci.log"));
    }
}
