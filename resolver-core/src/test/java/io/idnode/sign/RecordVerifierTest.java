package io.idnode.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.sign.VerificationReport.SignatureReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordVerifierTest {
    private static final String PUMP = "88.100.1/PUMP-1";
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private static Pki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = new Pki("RSA", TrustRoot.DEFAULT_CN_ROOT_HANDLE, NOW);
    }

    private static List<HandleValue> signedPump() throws Exception {
        return pki.lineSigner().signed(PUMP, Pki.pumpValues());
    }

    @Test
    void aSignedRecordVerifiesThroughTwoCertificatesToTheRoot() throws Exception {
        List<HandleValue> values = signedPump();
        VerificationReport report = pki.verifier().verify(PUMP, values, true);

        assertTrue(report.verified(), report.render());
        SignatureReport s = report.signatures().get(0);
        assertEquals(List.of(1, 2), s.verifiedValues(), "the public values are signed, the secret key is not");
        assertEquals("300:88.100.1/LINE-1", s.signer());
        assertEquals(List.of("300:88.100.1/LINE-1", "300:0.NA/88.100.1", "300:88.111.1/0.0"),
                s.chain().stream().map(VerificationReport.ChainLink::subject).toList());
        assertEquals("300:88.111.1/0.0", s.trustedRoot());
        assertTrue(report.render().contains("VERIFIED"), report.render());
    }

    @Test
    void aChangedValueFailsWithItsIndex() throws Exception {
        List<HandleValue> values = new ArrayList<>(signedPump());
        values.set(0, HandleValue.builder(1, "URL").data("https://evil.example/p/1").build());
        VerificationReport report = pki.verifier().verify(PUMP, values, true);

        assertFalse(report.verified());
        assertEquals(List.of(1), report.signatures().get(0).badDigestValues());
        assertEquals(List.of(1, 2), report.unsignedValues(), "an invalid signature covers nothing");
        assertTrue(report.render().contains("values changed since signing (digest differs): 1"), report.render());
    }

    @Test
    void aChangedPermissionOrTtlIsATamperingToo() throws Exception {
        List<HandleValue> values = new ArrayList<>(signedPump());
        values.set(1, values.get(1).toBuilder().ttl(HandleValue.TTL_RELATIVE, 5).build());
        assertEquals(List.of(2), pki.verifier().verify(PUMP, values, true).signatures().get(0).badDigestValues());
    }

    @Test
    void aRestampedValueStillVerifies() throws Exception {
        List<HandleValue> values = new ArrayList<>(signedPump());
        values.set(0, values.get(0).withTimestamp(1_800_000_000));
        assertTrue(pki.verifier().verify(PUMP, values, true).verified());
    }

    @Test
    void aFilteredAnswerVerifiesForTheValuesItHoldsButARemovedValueFailsTheWholeRecord() throws Exception {
        List<HandleValue> values = signedPump();
        List<HandleValue> urlAndSignature = values.stream().filter(v -> v.index() != 2).toList();

        VerificationReport partial = pki.verifier().verify(PUMP, urlAndSignature, false);
        assertTrue(partial.verified(), partial.render());
        assertEquals(List.of(1), partial.signatures().get(0).verifiedValues());

        VerificationReport whole = pki.verifier().verify(PUMP, urlAndSignature, true);
        assertFalse(whole.verified());
        assertEquals(List.of(2), whole.signatures().get(0).missingValues());
    }

    @Test
    void anUnsignedValueAddedLaterIsReported() throws Exception {
        List<HandleValue> values = new ArrayList<>(signedPump());
        values.add(HandleValue.builder(5, "URL").data("https://other.example").build());
        VerificationReport report = pki.verifier().verify(PUMP, values, true);
        assertFalse(report.verified());
        assertEquals(List.of(5), report.unsignedValues());
    }

    @Test
    void aSignatureForAnotherHandleFails() throws Exception {
        VerificationReport report = pki.verifier().verify("88.100.1/PUMP-2", signedPump(), true);
        assertFalse(report.verified());
        assertTrue(report.failures().toString().contains("it signs 88.100.1/PUMP-1, not 88.100.1/PUMP-2"),
                report.render());
    }

    @Test
    void anExpiredCertificateInTheChainFails() throws Exception {
        Pki local = new Pki("RSA", TrustRoot.DEFAULT_CN_ROOT_HANDLE, NOW);
        Clock issued = Clock.offset(NOW, Duration.ofDays(-10));
        RecordSigner intermediate = new RecordSigner(Pki.ENGINE, local.intermediate.getPrivate(),
                local.intermediateRef, List.of(), Pki.YEAR, issued);
        local.records.put(local.signerRef.handle(), List.of(Pki.cert(intermediate.certify(local.signerRef,
                local.signer.getPublic(), List.of(Permission.everything()), Duration.ofDays(1)))));
        VerificationReport report = local.verifier().verify(PUMP, local.lineSigner().signed(PUMP, Pki.pumpValues()),
                true);

        assertFalse(report.verified());
        assertTrue(report.failures().toString().contains("certificate of 300:88.100.1/LINE-1: expired at 2026-11-22"),
                report.render());
    }

    @Test
    void aSignatureNotYetValidOrExpiredFails() throws Exception {
        List<HandleValue> values = signedPump();
        Clock later = Clock.offset(NOW, Duration.ofDays(400));
        VerificationReport report = new RecordVerifier(Pki.ENGINE, List.of(TrustRoot.key(pki.root.getPublic())),
                pki.records, 10, later).verify(PUMP, values, true);
        assertFalse(report.verified());
        assertTrue(report.failures().get(0).contains("expired at"), report.render());

        Clock earlier = Clock.offset(NOW, Duration.ofDays(-1));
        assertTrue(new RecordVerifier(Pki.ENGINE, List.of(TrustRoot.key(pki.root.getPublic())), pki.records, 10,
                earlier).verify(PUMP, values, true).failures().get(0).contains("not valid before"));
    }

    @Test
    void anUnknownRootFails() throws Exception {
        Pki other = new Pki("RSA", TrustRoot.DEFAULT_CN_ROOT_HANDLE, NOW);
        VerificationReport report = new RecordVerifier(Pki.ENGINE,
                List.of(new TrustRoot(TrustRoot.DEFAULT_CN_ROOT_HANDLE, other.root.getPublic())), pki.records, 10, NOW)
                .verify(PUMP, signedPump(), true);
        assertFalse(report.verified());
        assertNull(report.signatures().get(0).trustedRoot());
        assertTrue(report.render().contains("not a configured trust root"), report.render());
    }

    @Test
    void theRightKeyAtAnotherRootHandleIsNotTrustedButTheKeyAloneIs() throws Exception {
        List<HandleValue> values = signedPump();
        assertFalse(new RecordVerifier(Pki.ENGINE, List.of(new TrustRoot("0.0/0.0", pki.root.getPublic())),
                pki.records, 10, NOW).verify(PUMP, values, true).verified());
        assertTrue(new RecordVerifier(Pki.ENGINE, List.of(TrustRoot.key(pki.root.getPublic())), pki.records, 10,
                NOW).verify(PUMP, values, true).verified());
    }

    @Test
    void removingOrReplacingTheSignersCertificateRevokesItsSignatures() throws Exception {
        Pki local = new Pki("RSA", TrustRoot.DEFAULT_CN_ROOT_HANDLE, NOW);
        List<HandleValue> values = local.lineSigner().signed(PUMP, Pki.pumpValues());
        assertTrue(local.verifier().verify(PUMP, values, true).verified());

        List<HandleValue> certificate = local.records.values(local.signerRef.handle());
        local.records.put(local.signerRef.handle(), List.of());
        VerificationReport removed = local.verifier().verify(PUMP, values, true);
        assertFalse(removed.verified());
        assertTrue(removed.render().contains("no certificate of 300:88.100.1/LINE-1 found"), removed.render());

        RecordSigner intermediate = local.signer(local.intermediate, local.intermediateRef);
        local.records.put(local.signerRef.handle(), List.of(Pki.cert(intermediate.certify(local.signerRef,
                Pki.keys("RSA").getPublic(), List.of(Permission.everything()), Pki.YEAR))));
        VerificationReport replaced = local.verifier().verify(PUMP, values, true);
        assertFalse(replaced.verified());
        assertTrue(replaced.render().contains("does not verify with the key certified for 300:88.100.1/LINE-1"),
                replaced.render());

        local.records.put(local.signerRef.handle(), certificate);
        assertTrue(local.verifier().verify(PUMP, values, true).verified());
    }

    @Test
    void permissionsMustCoverTheSignedHandle() throws Exception {
        List<HandleValue> values = pki.lineSigner().signed("88.200/OTHER", Pki.pumpValues());
        VerificationReport report = pki.verifier().verify("88.200/OTHER", values, true);
        assertFalse(report.verified());
        assertTrue(report.render().contains("do not cover 88.200/OTHER"), report.render());
    }

    @Test
    void theChainLengthIsLimited() throws Exception {
        List<HandleValue> values = signedPump();
        VerificationReport report = new RecordVerifier(Pki.ENGINE, List.of(TrustRoot.key(pki.root.getPublic())),
                pki.records, 2, NOW).verify(PUMP, values, true);
        assertFalse(report.verified());
        assertTrue(report.render().contains("longer than 2 certificates"), report.render());
    }

    @Test
    void aTamperedCertificateBreaksTheChain() throws Exception {
        Pki local = new Pki("RSA", TrustRoot.DEFAULT_CN_ROOT_HANDLE, NOW);
        String good = local.records.values(local.signerRef.handle()).get(0).dataAsString();
        Jws jws = Jws.parse(good);
        String widened = new String(jws.payload(), StandardCharsets.UTF_8)
                .replace("{\"handle\":\"0.NA/88.100.1\",\"perm\":\"handlesUnderThisPrefix\"}", "{\"perm\":\"everything\"}");
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        local.records.put(local.signerRef.handle(), List.of(HandleValue.builder(400, ValueTypes.HS_CERT)
                .data(forged).build()));
        VerificationReport report = local.verifier().verify(PUMP, local.lineSigner().signed(PUMP, Pki.pumpValues()),
                true);
        assertFalse(report.verified());
        assertTrue(report.render().contains("certificate of 300:88.100.1/LINE-1: the signature does not verify"),
                report.render());
    }

    @Test
    void aRecordWithoutSignatureOrWithGarbageFailsWithAReason() throws Exception {
        VerificationReport none = pki.verifier().verify(PUMP, Pki.pumpValues(), true);
        assertFalse(none.verified());
        assertEquals(List.of("the record holds no HS_SIGNATURE value"), none.problems());

        List<HandleValue> garbage = new ArrayList<>(Pki.pumpValues());
        garbage.add(HandleValue.builder(400, ValueTypes.HS_SIGNATURE).data("not.a-jws").build());
        VerificationReport bad = pki.verifier().verify(PUMP, garbage, true);
        assertFalse(bad.verified());
        assertTrue(bad.failures().get(0).startsWith("signature 400: unreadable"), bad.render());
    }

    @Test
    void dsaSignaturesVerifyToo() throws Exception {
        Pki dsa = new Pki("DSA", TrustRoot.STOCK_ROOT_HANDLE, NOW);
        List<HandleValue> values = dsa.lineSigner().signed(PUMP, Pki.pumpValues());
        assertTrue(Jws.parse(values.get(values.size() - 1).dataAsString()).compact().startsWith("eyJhbGciOiJEUzI1NiJ9."));
        assertTrue(dsa.verifier().verify(PUMP, values, true).verified());
    }

    @Test
    void permissionKindsCoverWhatTheyName() {
        assertTrue(new Permission("0.NA/88.100.1", Permission.Kind.HANDLES_UNDER_THIS_PREFIX).authorizes("88.100.1/X"));
        assertFalse(new Permission("0.NA/88.100.1", Permission.Kind.HANDLES_UNDER_THIS_PREFIX)
                .authorizes("88.100.10/X"));
        assertTrue(new Permission("0.NA/88.100", Permission.Kind.DERIVED_PREFIXES).authorizes("88.100.1/X"));
        assertFalse(new Permission("0.NA/88.100", Permission.Kind.DERIVED_PREFIXES).authorizes("88.1000/X"));
        assertTrue(new Permission("88.100.1/X", Permission.Kind.THIS_HANDLE).authorizes("88.100.1/X"));
        assertFalse(new Permission("88.100.1/X", Permission.Kind.THIS_HANDLE).authorizes("88.100.1/Y"));
        assertTrue(Permission.everything().authorizes("anything/at-all"));
        assertEquals(new Permission("0.NA/1", Permission.Kind.DERIVED_PREFIXES), Permission.parse("derivedPrefixes:0.NA/1"));
    }
}
