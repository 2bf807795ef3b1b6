package app.cruddur.messages.support;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Which commands each Redis user sent while it was open: MONITOR's lines (a connection's address
 * and the command) joined with CLIENT LIST's (a connection's address and its user), read every
 * few milliseconds so that short-lived connections are known too. The commands a script runs
 * (MONITOR's {@code [0 lua]} lines, right after their EVAL) count as its caller's, as Redis checks
 * them against the caller's ACL.
 */
public final class RedisCommandLog implements AutoCloseable {

    private static final Pattern LINE = Pattern.compile("^\\S+ \\[\\d+ ([^\\]]+)] \"([^\"]+)\"");
    private static final Pattern CLIENT = Pattern.compile("addr=(\\S+) .*\\buser=(\\S+)");

    private final Jedis monitor;
    private final Jedis admin;
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Thread monitoring;
    private final Thread listing;
    private volatile boolean open = true;

    private RedisCommandLog(URI redis) {
        HostAndPort server = new HostAndPort(redis.getHost(), redis.getPort());
        monitor = new Jedis(server);
        admin = new Jedis(server);
        monitoring = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        lines.add(command);
                    }
                });
            } catch (RuntimeException closed) {
                // close() ends MONITOR by closing its connection.
            }
        }, "redis-monitor");
        listing = new Thread(() -> {
            while (open) {
                readClients();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "redis-client-list");
    }

    /** Starts logging the commands of every connection to {@code redis} (an admin may run MONITOR there). */
    public static RedisCommandLog start(URI redis) throws InterruptedException {
        RedisCommandLog log = new RedisCommandLog(redis);
        log.monitoring.setDaemon(true);
        log.listing.setDaemon(true);
        log.monitoring.start();
        log.listing.start();
        // MONITOR is on once the server has answered it; a PING from elsewhere shows when.
        try (Jedis probe = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            for (int i = 0; i < 200 && log.lines.stream().noneMatch(line -> line.contains("\"PING\"")); i++) {
                probe.ping();
                Thread.sleep(10);
            }
        }
        return log;
    }

    private void readClients() {
        synchronized (admin) {
            for (String client : admin.clientList().split("\n")) {
                Matcher matcher = CLIENT.matcher(client);
                if (matcher.find()) {
                    users.put(matcher.group(1), matcher.group(2));
                }
            }
        }
    }

    /** The commands (lower case) that connections of {@code user} sent, the scripts' included. */
    public Set<String> commandsOf(String user) {
        readClients();
        Set<String> commands = new TreeSet<>();
        String scriptCaller = null;
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            String address = matcher.group(1);
            String command = matcher.group(2).toLowerCase(Locale.ROOT);
            String caller = address.equals("lua") ? scriptCaller : address;
            if (!address.equals("lua")) {
                scriptCaller = command.startsWith("eval") ? address : null;
            }
            if (caller != null && user.equals(users.get(caller))) {
                commands.add(command);
            }
        }
        return commands;
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        listing.join();
        monitor.close();
        monitoring.join(2000);
        admin.close();
    }
}
