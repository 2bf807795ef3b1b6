package app.cruddur.infra.database;

import software.amazon.awscdk.services.ec2.SecurityGroup;

/**
 * Where the service finds PostgreSQL: the database the stack creates ({@link Database}) or an
 * existing one named in the context ({@link ExistingDatabase}).
 */
public interface PostgresDatabase {

    /** {@code postgresql://HOST:PORT/DBNAME}, as the service reads POSTGRES_URL. */
    String url();

    /**
     * The complete ARN of the Secrets Manager secret holding {@code username} and {@code password}
     * (RDS-style JSON); the execution role is granted exactly this ARN.
     */
    String secretArn();

    /** Lets {@code clients} open connections to the database (their egress, and its ingress when it has a group here). */
    void allowFrom(SecurityGroup clients);
}
