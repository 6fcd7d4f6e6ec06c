package io.idnode.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.server.ratelimit.SourceLimits.Refusal;
import io.idnode.server.ratelimit.SourceLimits.UdpVerdict;
import io.idnode.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verdicts per source network, slips, exemptions, the reply cap and the signature budget, with time by hand. */
class SourceLimitsTest {
    final ManualClock time = new ManualClock(0);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    SourceLimits limits(int udpRate, int slip, int signatureRate, String... exempt) {
        return new SourceLimits(new SourceLimitSettings(512, udpRate, slip, signatureRate, 24, 56, 1024,
                NetworkSet.parse(List.of(exempt))), time, meters);
    }

    static InetSocketAddress from(String address) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), 40_000);
    }

    static List<UdpVerdict> verdicts(SourceLimits limits, String address, int requests) throws Exception {
        List<UdpVerdict> out = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            out.add(limits.udpRequest(from(address)));
        }
        return out;
    }

    double refusals(Refusal reason) {
        return meters.counter(SourceLimits.REFUSALS, "reason", reason.tag()).count();
    }

    @Test
    void aboveTheRateEverySecondRefusedRequestIsSlippedAndTheOthersDropped() throws Exception {
        SourceLimits limits = limits(3, 2, 0);

        assertThat(verdicts(limits, "192.0.2.1", 7)).containsExactly(UdpVerdict.ANSWER, UdpVerdict.ANSWER,
                UdpVerdict.ANSWER, UdpVerdict.DROP, UdpVerdict.SLIP, UdpVerdict.DROP, UdpVerdict.SLIP);
    }

    @Test
    void slipZeroDropsEveryRefusedRequestAndSlipOneSlipsEach() throws Exception {
        assertThat(verdicts(limits(1, 0, 0), "192.0.2.1", 3)).containsExactly(UdpVerdict.ANSWER, UdpVerdict.DROP,
                UdpVerdict.DROP);
        assertThat(verdicts(limits(1, 1, 0), "192.0.2.1", 3)).containsExactly(UdpVerdict.ANSWER, UdpVerdict.SLIP,
                UdpVerdict.SLIP);
    }

    @Test
    void sourcesShareTheRateOfTheirIpv4Slash24() throws Exception {
        SourceLimits limits = limits(2, 0, 0);
        assertThat(limits.udpRequest(from("198.51.100.1"))).isEqualTo(UdpVerdict.ANSWER);
        assertThat(limits.udpRequest(from("198.51.100.254"))).isEqualTo(UdpVerdict.ANSWER);
        assertThat(limits.udpRequest(from("198.51.100.77"))).isEqualTo(UdpVerdict.DROP);
        assertThat(limits.udpRequest(from("198.51.101.1"))).isEqualTo(UdpVerdict.ANSWER);
    }

    @Test
    void sourcesShareTheRateOfTheirIpv6Slash56() throws Exception {
        SourceLimits limits = limits(1, 0, 0);
        assertThat(limits.udpRequest(from("2001:db8:0:1200::1"))).isEqualTo(UdpVerdict.ANSWER);
        assertThat(limits.udpRequest(from("2001:db8:0:12ff:ffff::9"))).isEqualTo(UdpVerdict.DROP);
        assertThat(limits.udpRequest(from("2001:db8:0:1300::1"))).isEqualTo(UdpVerdict.ANSWER);
        // An IPv4 network and the IPv6 one with the same leading bits are different sources.
        assertThat(limits.udpRequest(from("32.1.13.184"))).isEqualTo(UdpVerdict.ANSWER);
    }

    @Test
    void exemptNetworksAreNeitherRateLimitedNorCappedNorBudgeted() throws Exception {
        SourceLimits limits = limits(1, 0, 1, "127.0.0.0/8", "::1/128");
        assertThat(verdicts(limits, "127.0.0.1", 100)).containsOnly(UdpVerdict.ANSWER);
        assertThat(verdicts(limits, "::1", 100)).containsOnly(UdpVerdict.ANSWER);
        assertThat(limits.holdsToUdpMaxReply(from("127.9.9.9"))).isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(limits.signatureAllowed(from("::1"))).isTrue();
        }
        assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE) + refusals(Refusal.SIGNATURE_BUDGET)).isZero();
    }

    @Test
    void aTooLargeUdpReplyToAnyOtherSourceIsReplacedAndCounted() throws Exception {
        SourceLimits limits = limits(0, 0, 0);
        assertThat(limits.udpMaxReply()).isEqualTo(512);
        assertThat(limits.holdsToUdpMaxReply(from("203.0.113.5"))).isTrue();
        assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void signaturesAreBudgetedPerNetworkWithoutDebt() throws Exception {
        SourceLimits limits = limits(0, 0, 2);
        List<Boolean> allowed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            allowed.add(limits.signatureAllowed(from("203.0.113." + i)));
        }
        assertThat(allowed).containsExactly(true, true, false, false, false);
        assertThat(refusals(Refusal.SIGNATURE_BUDGET)).isEqualTo(3);
        // Refusals are not charged: half a second buys one signature, however often it was asked for.
        time.advance(Duration.ofMillis(500));
        assertThat(limits.signatureAllowed(from("203.0.113.9"))).isTrue();
        assertThat(limits.signatureAllowed(from("203.0.113.9"))).isFalse();
        assertThat(limits.signatureAllowed(from("203.0.114.9"))).isTrue();
    }

    @Test
    void noLimitsAnswerEverythingAndCountNothing() throws Exception {
        SourceLimits none = SourceLimits.NONE;
        for (int i = 0; i < 1000; i++) {
            assertThat(none.udpRequest(from("192.0.2.1"))).isEqualTo(UdpVerdict.ANSWER);
            assertThat(none.signatureAllowed(from("192.0.2.1"))).isTrue();
        }
        assertThat(none.udpMaxReply()).isEqualTo(Integer.MAX_VALUE);
    }
}
