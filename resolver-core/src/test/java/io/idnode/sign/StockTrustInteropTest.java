package io.idnode.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.HandleRecord;
import net.handle.hdllib.Util;
import net.handle.hdllib.trust.ChainBuilder;
import net.handle.hdllib.trust.ChainVerificationReport;
import net.handle.hdllib.trust.ChainVerifier;
import net.handle.hdllib.trust.HandleSigner;
import net.handle.hdllib.trust.IssuedSignature;
import net.handle.hdllib.trust.JsonWebSignature;
import net.handle.hdllib.trust.JsonWebSignatureFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock library's trust code ({@code net.handle.hdllib.trust} of handle-client 9.3.1) judges our RS256
 * and DS256 record signatures and chains, and ours judges the ones it makes; tampering with a value, a
 * certificate or the dates makes both reject.
 */
class StockTrustInteropTest {
    private static final String PUMP = "88.100.1/PUMP-1";

    /** The stock verdict on {@code values} of {@code PUMP}, certificates from {@code pki}'s records. */
    private static ChainVerificationReport stockVerdict(Pki pki, List<HandleValue> values) throws Exception {
        Map<String, HandleRecord> records = new HashMap<>();
        for (String h : List.of(pki.rootHandle, pki.intermediateRef.handle(), pki.signerRef.handle())) {
            records.put(h, new HandleRecord(h, stock(pki.records.values(h))));
        }
        JsonWebSignature signature = null;
        for (HandleValue v : values) {
            if (v.hasType(ValueTypes.HS_SIGNATURE)) {
                signature = JsonWebSignatureFactory.getInstance().deserialize(v.dataAsString());
            }
        }
        List<IssuedSignature> chain = new ChainBuilder(records, null).buildChain(signature);
        return new ChainVerifier(List.of(pki.root.getPublic())).verifyValues(PUMP, stock(values), chain);
    }

    private static List<net.handle.hdllib.HandleValue> stock(List<HandleValue> values) throws Exception {
        List<net.handle.hdllib.HandleValue> out = new ArrayList<>();
        for (HandleValue v : values) {
            net.handle.hdllib.HandleValue s = new net.handle.hdllib.HandleValue();
            Encoder.decodeHandleValue(ValueCodec.encode(v), 0, s);
            out.add(s);
        }
        return out;
    }

    private static HandleValue ours(net.handle.hdllib.HandleValue v) throws Exception {
        return ValueCodec.decode(Encoder.encodeHandleValue(v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void theStockLibraryAcceptsOurSignaturesAndChains(String algorithm) throws Exception {
        Pki pki = new Pki(algorithm, TrustRoot.STOCK_ROOT_HANDLE, Clock.systemUTC());
        List<HandleValue> values = pki.lineSigner().signed(PUMP, Pki.pumpValues());

        ChainVerificationReport report = stockVerdict(pki, values);
        assertTrue(stockAccepts(report), () -> describe(report));
        assertEquals(List.of(1, 2), report.valuesReport.verifiedValues);
        assertEquals(4, report.issuedSignatureVerificationReports.size(), "the signature and its three certificates");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void theStockLibraryRejectsATamperedValue(String algorithm) throws Exception {
        Pki pki = new Pki(algorithm, TrustRoot.STOCK_ROOT_HANDLE, Clock.systemUTC());
        List<HandleValue> values = new ArrayList<>(pki.lineSigner().signed(PUMP, Pki.pumpValues()));
        values.set(1, HandleValue.builder(2, "PRODUCT_DATA").data("{\"model\":\"FAKE\"}").build());

        ChainVerificationReport report = stockVerdict(pki, values);
        assertFalse(stockAccepts(report));
        assertEquals(List.of(2), report.valuesReport.badDigestValues);
        assertFalse(pki.verifier().verify(PUMP, values, true).verified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void bothRejectATamperedCertificate(String algorithm) throws Exception {
        Pki pki = new Pki(algorithm, TrustRoot.STOCK_ROOT_HANDLE, Clock.systemUTC());
        List<HandleValue> values = pki.lineSigner().signed(PUMP, Pki.pumpValues());
        String cert = pki.records.values(pki.signerRef.handle()).get(0).dataAsString();
        String[] parts = cert.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"exp\":[0-9]+", "\"exp\":4102444800");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        pki.records.put(pki.signerRef.handle(), List.of(HandleValue.builder(400, ValueTypes.HS_CERT).data(forged)
                .build()));

        assertFalse(stockAccepts(stockVerdict(pki, values)));
        assertFalse(pki.verifier().verify(PUMP, values, true).verified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void bothRejectAnExpiredSignature(String algorithm) throws Exception {
        Pki pki = new Pki(algorithm, TrustRoot.STOCK_ROOT_HANDLE, Clock.systemUTC());
        RecordSigner line = pki.lineSigner();
        HandleClaims fresh = line.claims(PUMP, Pki.pumpValues());
        HandleClaims expired = new HandleClaims(fresh.perms(), fresh.digests(), fresh.chain(), null, null,
                fresh.iss(), fresh.sub(), 1_600_000_000L, 1_500_000_000L, 1_500_000_000L);
        List<HandleValue> values = new ArrayList<>(Pki.pumpValues());
        values.add(HandleValue.builder(400, ValueTypes.HS_SIGNATURE).data(line.signClaims(expired).compact()).build());

        assertFalse(stockAccepts(stockVerdict(pki, values)));
        VerificationReport ours = pki.verifier().verify(PUMP, values, true);
        assertFalse(ours.verified());
        assertTrue(ours.render().contains("expired at 2020-09-13"), ours.render());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void weAcceptWhatTheStockLibrarySignsAndRejectItTampered(String algorithm) throws Exception {
        KeyPair root = Pki.keys(algorithm);
        KeyPair line = Pki.keys(algorithm);
        HandleSigner signer = HandleSigner.getInstance();
        net.handle.hdllib.ValueReference rootRef = new net.handle.hdllib.ValueReference(
                Util.encodeString("0.0/0.0"), 300);
        net.handle.hdllib.ValueReference lineRef = new net.handle.hdllib.ValueReference(
                Util.encodeString("88.100.1/LINE-1"), 300);
        long now = System.currentTimeMillis() / 1000;
        JsonWebSignature rootCert = signer.signPermissions(rootRef, root.getPublic(),
                List.of(new net.handle.hdllib.trust.Permission(null, "everything")), rootRef, root.getPrivate(), null,
                now - 60, now + 3600);
        JsonWebSignature lineCert = signer.signPermissions(lineRef, line.getPublic(),
                List.of(new net.handle.hdllib.trust.Permission("0.NA/88.100.1", "handlesUnderThisPrefix")), rootRef,
                root.getPrivate(), List.of("0.0/0.0"), now - 60, now + 3600);
        List<HandleValue> plain = Pki.pumpValues();
        List<net.handle.hdllib.HandleValue> toSign = stock(plain.subList(0, 2));
        JsonWebSignature signature = signer.signHandleValues(PUMP, toSign, lineRef, line.getPrivate(), null,
                now - 60, now + 3600);

        InMemoryRecordSource records = new InMemoryRecordSource()
                .put("0.0/0.0", List.of(Pki.cert(Jws.parse(rootCert.serialize()))))
                .put("88.100.1/LINE-1", List.of(Pki.cert(Jws.parse(lineCert.serialize()))));
        List<HandleValue> values = new ArrayList<>(plain);
        values.add(HandleValue.builder(400, ValueTypes.HS_SIGNATURE).data(signature.serialize()).build());
        RecordVerifier verifier = new RecordVerifier(Pki.ENGINE,
                List.of(new TrustRoot(TrustRoot.STOCK_ROOT_HANDLE, root.getPublic())), records, 10, Clock.systemUTC());

        VerificationReport report = verifier.verify(PUMP, values, true);
        assertTrue(report.verified(), report.render());
        assertEquals(List.of(1, 2), report.signatures().get(0).verifiedValues());
        assertEquals(ours(toSign.get(0)), plain.get(0), "the stock encoding of a value is ours");

        values.set(0, HandleValue.builder(1, "URL").data("https://evil.example").build());
        assertFalse(verifier.verify(PUMP, values, true).verified());
    }

    /**
     * The stock verdict on the whole: the chain trusted and authorised, the signature for this handle, and no
     * value changed or missing (the library reports digests apart from its {@code canTrust}).
     */
    private static boolean stockAccepts(ChainVerificationReport r) {
        return r.canTrustAndAuthorized() && r.valuesReport.canTrust() && r.valuesReport.correctHandle
                && r.valuesReport.badDigestValues.isEmpty() && r.valuesReport.missingValues.isEmpty();
    }

    private static String describe(ChainVerificationReport r) {
        StringBuilder b = new StringBuilder("values: ").append(r.valuesReport.verifiedValues).append(" bad ")
                .append(r.valuesReport.badDigestValues).append(" exceptions ").append(r.valuesReport.exceptions)
                .append(" root trusted ").append(r.rootIsTrusted);
        r.issuedSignatureVerificationReports.forEach(i -> b.append("\n  ").append(i.sub).append(" by ").append(i.iss)
                .append(" sig ").append(i.signatureVerifies).append(" date ").append(i.dateInRange).append(" auth ")
                .append(i.authorized).append(" ").append(i.exceptions));
        return b.toString();
    }
}
