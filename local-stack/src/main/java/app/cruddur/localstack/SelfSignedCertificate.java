package app.cruddur.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and its private key as PEM files, made with the
 * JDK's keytool, so that the local PostgreSQL can offer TLS and the service's verify-full mode can
 * be tried against it (the certificate is its own CA). Made once per work directory.
 */
final class SelfSignedCertificate {

    private static final String PASSWORD = "local-stack";

    final Path certificate;
    final Path privateKey;

    private SelfSignedCertificate(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    static SelfSignedCertificate in(Path dir) throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path privateKey = dir.resolve("server.key");
        if (Files.exists(certificate) && Files.exists(privateKey)) {
            return new SelfSignedCertificate(certificate, privateKey);
        }
        Files.createDirectories(dir);
        Path store = dir.resolve("server.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool could not make a certificate; see " + dir.resolve("keytool.log"));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Certificate cert = keys.getCertificate("server");
        Key key = keys.getKey("server", PASSWORD.toCharArray());
        Files.writeString(certificate, pem("CERTIFICATE", cert.getEncoded()));
        // PostgreSQL refuses a key file that others can read.
        Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()));
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        Files.delete(store);
        return new SelfSignedCertificate(certificate, privateKey);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
