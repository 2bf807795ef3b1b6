package app.cruddur.infra.events;

import app.cruddur.infra.Nag;
import app.cruddur.infra.network.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticache.CfnServerlessCacheProps;
import software.amazon.awscdk.services.elasticache.CfnUser;
import software.amazon.awscdk.services.elasticache.CfnUserGroup;
import software.amazon.awscdk.services.elasticache.CfnUserGroupProps;
import software.amazon.awscdk.services.elasticache.CfnUserProps;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Redis-protocol server of the event streams: ElastiCache Serverless for Valkey in the private
 * subnets, TLS only (Serverless accepts nothing else), reachable on its port from the groups that
 * {@link #allowFrom} names (the service's tasks, the projection Lambda) and from nothing else. Each
 * signs in as its own user with the ACL rules of {@code docker/redis-user.acl}: the service with a
 * generated password in Secrets Manager (its Redis client takes a fixed password), the Lambda
 * with IAM (a presigned token from its role, no secret). The cache's {@code default} user is
 * switched off: a Valkey user group accepts only users with a password or IAM authentication, so it
 * has a generated password that nothing reads, and no command it may run.
 * Pub/sub keeps no data, and tickets live 30 s, so the cache stores almost nothing: its limits
 * bound what a runaway client could cost.
 */
public final class EventCache extends Construct {

    /** The port of a Serverless cache's endpoint (6380 is its reader endpoint, unused: pub/sub needs the primary). */
    public static final int PORT = 6379;
    public static final String ENGINE = "valkey";
    public static final String MAJOR_ENGINE_VERSION = "8";
    /** The service's user name in the cache (REDIS_USER). */
    public static final String USER_NAME = "cruddur-messages";
    /** The ACL rules' names of the two users in {@link #ACL_FILE}. */
    public static final String SERVICE_RULES = "service";
    public static final String PROJECTION_RULES = "projection";
    /** The ACL rules file in the repository (cdk runs in infra/). */
    public static final String ACL_FILE = "../docker/redis-user.acl";
    /** Upper bounds of the cache's usage: a ceiling on its bill, far above what the streams need. */
    public static final int MAX_DATA_GB = 1;
    public static final int MAX_ECPU_PER_SECOND = 20_000;

    private final CfnServerlessCache cache;
    private final CfnUser projectionUser;
    private final SecurityGroup securityGroup;
    private final Secret secret;
    private final Secret defaultUserSecret;

    public EventCache(Construct scope, String id, IVpc vpc, String namePrefix) {
        super(scope, id);

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Event cache (Valkey): port " + PORT + " from the service and the projection only")
                .allowAllOutbound(false)
                .build());

        secret = password("Secret", "Password of the " + USER_NAME + " user of the event cache");
        Nag.suppress(secret, "AwsSolutions-SMG4", "The tasks read the password when they start (the Lambda signs in"
                + " with IAM): a rotation would change it under running tasks and fail their reconnections until"
                + " they are replaced; it is rotated by hand together with a deployment");

        CfnUser user = new CfnUser(this, "User", CfnUserProps.builder()
                .engine(ENGINE)
                .userId(namePrefix + "-messages")
                .userName(USER_NAME)
                .accessString(accessString(SERVICE_RULES))
                .authenticationMode(Map.of("Type", "password",
                        "Passwords", List.of(secret.getSecretValue().unsafeUnwrap())))
                .build());
        // An IAM user's name is its id; the Lambda's role may connect as it (elasticache:Connect).
        projectionUser = new CfnUser(this, "ProjectionUser", CfnUserProps.builder()
                .engine(ENGINE)
                .userId(namePrefix + "-projection")
                .userName(namePrefix + "-projection")
                .accessString(accessString(PROJECTION_RULES))
                .authenticationMode(Map.of("Type", "iam"))
                .build());
        // The name "default" exists in every user group; here it can do nothing at all. A Valkey
        // group refuses a user without a password (NoPasswordRequired fails the stack's creation).
        defaultUserSecret = password("DefaultUserSecret",
                "Password of the event cache's default user, which is switched off; nothing reads it");
        Nag.suppress(defaultUserSecret, "AwsSolutions-SMG4", "The default user is off (no command at all) and"
                + " nothing signs in with this password; it exists because a Valkey user group accepts only users"
                + " with a password or IAM authentication");
        CfnUser defaultUser = new CfnUser(this, "DefaultUser", CfnUserProps.builder()
                .engine(ENGINE)
                .userId(namePrefix + "-default")
                .userName("default")
                .accessString("off -@all")
                .authenticationMode(Map.of("Type", "password",
                        "Passwords", List.of(defaultUserSecret.getSecretValue().unsafeUnwrap())))
                .build());
        CfnUserGroup users = new CfnUserGroup(this, "Users", CfnUserGroupProps.builder()
                .engine(ENGINE)
                .userGroupId(namePrefix + "-events")
                .userIds(List.of(defaultUser.getUserId(), user.getUserId(), projectionUser.getUserId()))
                .build());
        users.addResourceDependency(user);
        users.addResourceDependency(projectionUser);
        users.addResourceDependency(defaultUser);

        List<ISubnet> subnets = vpc.selectSubnets(Network.PRIVATE).getSubnets();
        cache = new CfnServerlessCache(this, "Cache", CfnServerlessCacheProps.builder()
                .serverlessCacheName(namePrefix + "-events")
                .description("Cruddur Messages: event stream fan-out (pub/sub) and stream tickets")
                .engine(ENGINE)
                .majorEngineVersion(MAJOR_ENGINE_VERSION)
                .subnetIds(subnets.stream().map(ISubnet::getSubnetId).toList())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .userGroupId(users.getUserGroupId())
                .cacheUsageLimits(CfnServerlessCache.CacheUsageLimitsProperty.builder()
                        .dataStorage(CfnServerlessCache.DataStorageProperty.builder().maximum(MAX_DATA_GB).unit("GB").build())
                        .ecpuPerSecond(CfnServerlessCache.ECPUPerSecondProperty.builder().maximum(MAX_ECPU_PER_SECOND).build())
                        .build())
                .build());
        cache.addResourceDependency(users);
    }

    /** A generated password: letters and digits only, as it goes into the redis URL as it is. */
    private Secret password(String id, String description) {
        return new Secret(this, id, SecretProps.builder()
                .description(description)
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true)
                        .includeSpace(false)
                        .passwordLength(40)
                        .build())
                .build());
    }

    /** The ACL rules named {@code who} in {@link #ACL_FILE} (the line {@code <who> <rules>}). */
    public static String accessString(String who) {
        try {
            List<String> rules = Files.readAllLines(Path.of(ACL_FILE)).stream().map(String::trim)
                    .filter(line -> line.startsWith(who + " ")).map(line -> line.substring(who.length() + 1).trim()).toList();
            if (rules.size() != 1) {
                throw new IllegalStateException(ACL_FILE + " must hold one line of rules for " + who + ", not " + rules.size());
            }
            return rules.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis ACL rules: " + ACL_FILE, e);
        }
    }

    /** Lets {@code clients} reach the cache's port: egress there, ingress here, group to group. */
    public void allowFrom(SecurityGroup clients, String who) {
        clients.getConnections().allowTo(securityGroup, Port.tcp(PORT), "Event cache (Valkey, TLS) from " + who);
    }

    /** {@code host:port} of the cache's endpoint (REDIS_ENDPOINT). */
    public String endpoint() {
        return cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort();
    }

    /** The Lambda's user (REDIS_USER of the Lambda): its id, which is also its name. */
    public String projectionUserId() {
        return projectionUser.getUserId();
    }

    /** The ARNs the Lambda's role may connect to: the cache and its IAM user. */
    public List<String> projectionConnectArns() {
        return List.of(cache.getAttrArn(), projectionUser.getAttrArn());
    }

    public String secretArn() {
        return secret.getSecretArn();
    }

    public Secret secret() {
        return secret;
    }

    public String cacheName() {
        return cache.getServerlessCacheName();
    }

    public CfnServerlessCache cache() {
        return cache;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
