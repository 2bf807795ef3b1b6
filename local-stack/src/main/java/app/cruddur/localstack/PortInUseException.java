package app.cruddur.localstack;

/** A configured port is taken: reported as one line, without a stack trace. */
final class PortInUseException extends RuntimeException {

    PortInUseException(String service, int port) {
        super("port " + port + " for " + service + " is already in use; stop what is using it (another bin/dev or bin/local-stack?)");
    }
}
