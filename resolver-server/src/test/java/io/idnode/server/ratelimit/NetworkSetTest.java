package io.idnode.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Networks written as ADDRESS/BITS, IPv4 and IPv6, matched bit by bit. */
class NetworkSetTest {
    static boolean contains(NetworkSet set, String address) throws Exception {
        return set.contains(InetAddress.getByName(address));
    }

    @Test
    void matchesAddressesInsideEachNetworkOnly() throws Exception {
        NetworkSet set = NetworkSet.parse(List.of("127.0.0.0/8", "192.0.2.128/25", "2001:db8:aa00::/40", "::1/128",
                "198.51.100.7"));

        assertThat(contains(set, "127.255.1.2")).isTrue();
        assertThat(contains(set, "128.0.0.1")).isFalse();
        assertThat(contains(set, "192.0.2.200")).isTrue();
        assertThat(contains(set, "192.0.2.127")).isFalse();
        assertThat(contains(set, "198.51.100.7")).isTrue();
        assertThat(contains(set, "198.51.100.8")).isFalse();
        assertThat(contains(set, "2001:db8:aaff:1::5")).isTrue();
        assertThat(contains(set, "2001:db8:ab00::5")).isFalse();
        assertThat(contains(set, "::1")).isTrue();
        assertThat(contains(set, "::2")).isFalse();
    }

    @Test
    void zeroBitsIsEverySourceOfThatFamily() throws Exception {
        NetworkSet v4 = NetworkSet.parse(List.of("0.0.0.0/0"));
        assertThat(contains(v4, "203.0.113.9")).isTrue();
        assertThat(contains(v4, "2001:db8::1")).isFalse();
    }

    @Test
    void blankEntriesAreLeftOutAndNothingIsInTheEmptySet() throws Exception {
        NetworkSet set = NetworkSet.parse(List.of("", " "));
        assertThat(set.networks()).isEmpty();
        assertThat(contains(set, "127.0.0.1")).isFalse();
        assertThat(NetworkSet.parse(List.of(" 10.0.0.0/8 ")).networks()).containsExactly("10.0.0.0/8");
    }

    @Test
    void refusesWhatIsNotANetwork() {
        assertThatThrownBy(() -> NetworkSet.parse(List.of("localhost/8"))).hasMessage(
                "'localhost/8' has no IP address (e.g. 127.0.0.0/8, ::1/128)");
        assertThatThrownBy(() -> NetworkSet.parse(List.of("10.0.0.0/33"))).hasMessage(
                "'10.0.0.0/33' must have 0..32 bits after '/'");
        assertThatThrownBy(() -> NetworkSet.parse(List.of("::/x"))).hasMessage(
                "'::/x' must have 0..128 bits after '/'");
    }
}
