package io.idnode.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

    @Test
    void guardIsInstalledForEveryTest() {
        assertThat(System.getSecurityManager()).isInstanceOf(LoopbackOnlySecurityManager.class);
    }

    @Test
    void refusesTcpConnectionToPublicAddress() {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 132, (byte) 151, 1, (byte) 179}), 2641), 1000);
            }
        }).isInstanceOf(SecurityException.class).hasMessageContaining("loopback");
    }

    @Test
    void refusesUdpDatagramToPrivateAddress() throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            DatagramPacket p = new DatagramPacket(new byte[4], 4, InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 2641);
            assertThatThrownBy(() -> s.send(p)).isInstanceOf(SecurityException.class);
        }
    }

    @Test
    void refusesNameLookupOfOutsideHost() {
        assertThatThrownBy(() -> InetAddress.getByName("hs9.cnri.net")).isInstanceOf(SecurityException.class);
    }

    @Test
    void allowsLoopback() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new DatagramPacket(new byte[4], 4, InetAddress.getLoopbackAddress(), s.getLocalPort()));
            assertThat(LoopbackOnlySecurityManager.isLoopback("127.0.0.1")).isTrue();
            assertThat(LoopbackOnlySecurityManager.isLoopback("::1")).isTrue();
            assertThat(LoopbackOnlySecurityManager.isLoopback("192.168.1.1")).isFalse();
        }
    }
}
