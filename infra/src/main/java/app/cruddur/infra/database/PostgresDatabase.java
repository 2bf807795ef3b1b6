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

    /**
     * The secret of the service's own login, when it is not the one of {@link #secretArn()}: then
     * each task's init run signs in with that one to migrate and to make sure the service's login
     * exists, and the service signs in with this one. Empty for an existing database, whose secret
     * the service uses as it is (and migrates at its start).
     */
    default java.util.Optional<String> applicationSecretArn() {
        return java.util.Optional.empty();
    }

    /**
     * The secret of the sign-up trigger's own login (SELECT and INSERT on {@code users}), when the
     * stack creates the database; the init run makes sure it exists. Empty for an existing database,
     * whose secret the trigger then uses.
     */
    default java.util.Optional<String> signUpSecretArn() {
        return java.util.Optional.empty();
    }

    /** Lets {@code clients} open connections to the database (their egress, and its ingress when it has a group here). */
    void allowFrom(SecurityGroup clients);
}
