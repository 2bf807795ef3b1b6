package app.cruddur.messages.limits;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client a public request counts against. Behind {@code trustedProxies} proxies that each
 * append the address they saw to X-Forwarded-For, the client's address is that many entries from
 * the right: entries further left come from the client and prove nothing. An IPv6 client counts by
 * its /64, the block a single subscriber is usually given.
 */
public final class ClientAddress {

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
        // Parsed without a resolver: InetAddress.getByName would look anything that is not a valid
        // literal (999.1.1.1, a name) up in DNS, on the event loop.
        byte[] bytes = literal.length() > 45 ? null : NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            if (bytes.length == 4) {
                return Optional.of(InetAddress.getByAddress(bytes).getHostAddress());
            }
            if (isIpv4Mapped(bytes)) {
                return Optional.of(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)).getHostAddress());
            }
            byte[] prefix = new byte[16];
            System.arraycopy(bytes, 0, prefix, 0, 8);
            return Optional.of(InetAddress.getByAddress(prefix).getHostAddress() + "/64");
        } catch (UnknownHostException e) {
            // Only for a byte array of another length than 4 or 16, which the parser never gives.
            return Optional.empty();
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
