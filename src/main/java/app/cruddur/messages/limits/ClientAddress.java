package app.cruddur.messages.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client a public request counts against. Behind {@code trustedProxies} proxies that each
 * append the address they saw to X-Forwarded-For, the client's address is that many entries from
 * the right: entries further left come from the client and prove nothing. An IPv6 client counts by
 * its /64, the block a single subscriber is usually given.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private ClientAddress() {
    }

    /**
     * @param forwardedFor every X-Forwarded-For header of the request, in order
     * @param connection   the address of the connection's peer
     */
    public static String of(List<String> forwardedFor, String connection, int trustedProxies) {
        String chosen = connection;
        if (trustedProxies > 0) {
            List<String> hops = new ArrayList<>();
            for (String header : forwardedFor) {
                for (String hop : header.split(",")) {
                    hops.add(hop.trim());
                }
            }
            if (hops.size() >= trustedProxies) {
                chosen = hops.get(hops.size() - trustedProxies);
            }
        }
        return normalized(chosen).or(() -> normalized(connection)).orElse("unknown");
    }

    /** An address literal in one form per client: IPv4 as is, IPv6 as its /64; anything else is none. */
    static Optional<String> normalized(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        // Only literals reach InetAddress, which would look a name up in DNS.
        if (!IPV4.matcher(literal).matches() && !(IPV6.matcher(literal).matches() && literal.length() <= 45)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length == 4) {
                return Optional.of(InetAddress.getByAddress(bytes).getHostAddress());
            }
            byte[] prefix = new byte[16];
            System.arraycopy(bytes, 0, prefix, 0, 8);
            return Optional.of(InetAddress.getByAddress(prefix).getHostAddress() + "/64");
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
