package app.cruddur.messages.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesTheConnectionCountsAndTheHeaderIsIgnored() {
        assertEquals("10.0.0.5", ClientAddress.of(List.of("203.0.113.7"), "10.0.0.5", 0));
    }

    @Test
    void behindOneProxyTheRightmostEntryIsTheClient() {
        assertEquals("203.0.113.7", ClientAddress.of(List.of("203.0.113.7"), "10.0.0.5", 1));
        // What the client wrote itself is further left, and proves nothing.
        assertEquals("203.0.113.7", ClientAddress.of(List.of("1.1.1.1, 203.0.113.7"), "10.0.0.5", 1));
        assertEquals("203.0.113.7", ClientAddress.of(List.of("1.1.1.1", "203.0.113.7"), "10.0.0.5", 1));
    }

    @Test
    void behindTwoProxiesTheSecondFromTheRight() {
        assertEquals("203.0.113.7", ClientAddress.of(List.of("9.9.9.9, 203.0.113.7, 10.1.1.1"), "10.0.0.5", 2));
    }

    @Test
    void fewerEntriesThanProxiesOrNoneFallBackToTheConnection() {
        assertEquals("10.0.0.5", ClientAddress.of(List.of(), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("203.0.113.7"), "10.0.0.5", 2));
    }

    @Test
    void anEntryThatIsNoAddressIsNeverLookedUpAndTheConnectionCounts() {
        assertEquals("10.0.0.5", ClientAddress.of(List.of("example.com"), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("cafe"), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("unknown"), "10.0.0.5", 1));
        // Shaped like addresses but none: parsed, never resolved.
        assertEquals("10.0.0.5", ClientAddress.of(List.of("999.999.999.999"), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("256.1.1.1"), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("1.2.3"), "10.0.0.5", 1));
        assertEquals("10.0.0.5", ClientAddress.of(List.of("2001:db8::g"), "10.0.0.5", 1));
        assertEquals("unknown", ClientAddress.of(List.of(), null, 0));
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        String one = ClientAddress.of(List.of("2001:db8:1:2:aaaa::1"), "10.0.0.5", 1);
        String other = ClientAddress.of(List.of("[2001:db8:1:2:bbbb:cccc:dddd:eeee]"), "10.0.0.5", 1);
        assertEquals("2001:db8:1:2:0:0:0:0/64", one);
        assertEquals(one, other);
        assertEquals("2001:db8:1:3:0:0:0:0/64", ClientAddress.of(List.of(), "2001:db8:1:3::9", 0));
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4One() {
        assertEquals("203.0.113.7", ClientAddress.of(List.of("::ffff:203.0.113.7"), "10.0.0.5", 1));
    }
}
