package app.cruddur.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

final class Ports {

    /** Returns the port to use: a free one for 0, else the given one after checking it is free. */
    static int claim(int port, String service) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PortInUseException(service, port);
        }
    }

    private Ports() {
    }
}
