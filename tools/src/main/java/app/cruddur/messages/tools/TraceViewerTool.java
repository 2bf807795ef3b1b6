package app.cruddur.messages.tools;

import app.cruddur.messages.localstack.LocalStackSettings;
import app.cruddur.messages.localstack.TraceViewer;
import java.nio.file.Path;

/**
 * {@code bin/trace-viewer}: Zipkin on port 9411 and the OTLP receiver dev mode exports to on 4318,
 * until Ctrl-C ({@code bin/dev} starts it beside the local stack). The first start fetches Zipkin's
 * server into the local Maven repository.
 */
public final class TraceViewerTool {

    private TraceViewerTool() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 0) {
            System.err.println("usage: bin/trace-viewer   (Zipkin on " + TraceViewer.DEV_ZIPKIN_PORT + ", OTLP/HTTP on "
                    + TraceViewer.DEV_OTLP_PORT + ")");
            System.exit(ToolException.USAGE);
        }
        Path root = LocalStackSettings.findProjectRoot();
        TraceViewer viewer;
        try {
            viewer = TraceViewer.start(root, TraceViewer.DEV_ZIPKIN_PORT, TraceViewer.DEV_OTLP_PORT,
                    root.resolve("target/local-stack/zipkin.log"));
        } catch (RuntimeException e) {
            System.err.println("trace viewer: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            System.exit(ToolException.FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(viewer::close, "trace-viewer-stop"));
        System.out.println("trace viewer running: Zipkin " + viewer.zipkinUrl() + " (it takes a few seconds to answer), OTLP "
                + viewer.otlpEndpoint() + "/v1/traces");
        Thread.currentThread().join();
    }
}
