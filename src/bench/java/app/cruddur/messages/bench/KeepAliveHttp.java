package app.cruddur.messages.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends prepared requests and reads whole answers, as a
 * load generator such as wrk does: almost no CPU of its own, so that on a 2-core machine the
 * service, not the client, is what the benchmark loads. Not thread-safe: one per benchmark thread.
 */
final class KeepAliveHttp implements AutoCloseable {

    /** A request as bytes on the wire. */
    record Request(String method, String path, byte[] wire) {

        static Request get(URI base, String path, String bearer) {
            return new Request("GET", path, head("GET", base, path, bearer, 0, false).getBytes(StandardCharsets.US_ASCII));
        }

        static Request postJson(URI base, String path, String bearer, byte[] body) {
            byte[] head = head("POST", base, path, bearer, body.length, true).getBytes(StandardCharsets.US_ASCII);
            byte[] wire = new byte[head.length + body.length];
            System.arraycopy(head, 0, wire, 0, head.length);
            System.arraycopy(body, 0, wire, head.length, body.length);
            return new Request("POST", path, wire);
        }

        private static String head(String method, URI base, String path, String bearer, int length, boolean json) {
            return method + " " + path + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Authorization: " + bearer + "\r\n"
                    + "Accept: application/json\r\n"
                    + (json ? "Content-Type: application/json\r\nContent-Length: " + length + "\r\n" : "")
                    + "\r\n";
        }
    }

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];

    KeepAliveHttp(URI base) {
        this.base = base;
    }

    /** Sends the request and reads the whole answer; returns its status. Reconnects when the server closed the connection. */
    int send(Request request) throws IOException {
        if (socket == null) {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), buffer.length);
            out = socket.getOutputStream();
        }
        out.write(request.wire());
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long chunk = Long.parseLong(line().trim(), 16); chunk > 0; chunk = Long.parseLong(line().trim(), 16)) {
                skip(chunk);
                line();
            }
            line();
        } else if (length > 0) {
            skip(length);
        }
        if (close) {
            close();
        }
        return status;
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            left -= read;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed before the answer was complete");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
