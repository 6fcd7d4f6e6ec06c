package io.idnode.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SM2256 vectors of cn-vectors.json (a self-issued root at 88.100.1/0.0, a signer certified for handles
 * under 88.100.1, a record signature) verify as a chain; the same data with the dates passed, another root
 * handle or a changed value does not.
 */
class CnSignatureVectorsTest {
    private static final Clock IN_RANGE = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);
    private static final String RECORD = "88.100.1/PROD-0001";

    @TempDir
    Path dir;

    private static HandleValue cert(String vector) {
        return HandleValue.builder(400, ValueTypes.HS_CERT)
                .data(Vectors.vector(Vectors.CN, vector).get("data_utf8").asText()).build();
    }

    private static List<HandleValue> record() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "hs_signature_sm2");
        List<HandleValue> values = new ArrayList<>();
        for (JsonNode signed : v.get("signed_values")) {
            values.add(ValueCodec.decode(CryptoFixtures.hex(signed, "value_hex")));
        }
        values.add(HandleValue.builder(400, ValueTypes.HS_SIGNATURE).data(v.get("data_utf8").asText()).build());
        return values;
    }

    private PublicKey rootKey() throws Exception {
        JsonNode setup = Vectors.vector(Vectors.CN, "hs_signature_sm2").get("verification_setup");
        Path pem = dir.resolve("root.pub.pem");
        Files.writeString(pem, setup.get("trust_root_public_key_pem").asText(), StandardCharsets.US_ASCII);
        return new KeyFiles(CryptoFixtures.PROVIDERS).readPublicKeyPem(pem);
    }

    private RecordVerifier verifier(String rootHandle, Clock clock) throws Exception {
        InMemoryRecordSource records = new InMemoryRecordSource()
                .put("88.100.1/0.0", List.of(cert("hs_cert_sm2_root_selfsigned")))
                .put("88.100.1/signer", List.of(cert("hs_cert_sm2_signer")));
        return new RecordVerifier(Pki.ENGINE, List.of(new TrustRoot(rootHandle, rootKey())), records, 10, clock);
    }

    @Test
    void theVectorsChainVerifies() throws Exception {
        VerificationReport report = verifier("88.100.1/0.0", IN_RANGE).verify(RECORD, record(), true);
        assertTrue(report.verified(), report.render());
        assertEquals("SM2256", report.signatures().get(0).algorithm());
        assertEquals(SignatureAlgorithm.SM2, Jws.parse(cert("hs_cert_sm2_signer").dataAsString()).algorithm());
        assertEquals(List.of(1, 2), report.signatures().get(0).verifiedValues());
        assertEquals("301:88.100.1/0.0", report.signatures().get(0).trustedRoot());
    }

    @Test
    void afterExpiryAtAnotherRootHandleOrChangedTheyDoNot() throws Exception {
        Clock later = Clock.fixed(Instant.ofEpochSecond(1_800_000_001L), ZoneOffset.UTC);
        assertFalse(verifier("88.100.1/0.0", later).verify(RECORD, record(), true).verified());
        assertFalse(verifier(TrustRoot.DEFAULT_CN_ROOT_HANDLE, IN_RANGE).verify(RECORD, record(), true).verified());
        List<HandleValue> changed = new ArrayList<>(record());
        changed.set(0, changed.get(0).toBuilder().data("https://evil.example").build());
        VerificationReport report = verifier("88.100.1/0.0", IN_RANGE).verify(RECORD, changed, true);
        assertFalse(report.verified());
        assertEquals(List.of(1), report.signatures().get(0).badDigestValues());
    }
}
