package app.cruddur.infra.database;

import app.cruddur.infra.StackSettings;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;

/**
 * A database outside the stack, named by {@code postgresUrl} and {@code databaseSecretArn}. Its
 * address is not known here, so clients may reach its port at any address; its own security group
 * (outside the stack) decides who gets in.
 */
public record ExistingDatabase(String url, String secretArn, int port) implements PostgresDatabase {

    /** The existing database of {@code settings}, which must name one. */
    public static ExistingDatabase of(StackSettings settings) {
        return new ExistingDatabase(settings.postgresUrl().orElseThrow(), settings.databaseSecretArn().orElseThrow(),
                settings.postgresPort());
    }

    @Override
    public void allowFrom(SecurityGroup clients) {
        clients.addEgressRule(Peer.anyIpv4(), Port.tcp(port), "PostgreSQL");
    }
}
