package io.idnode.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.model.HandleValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every registry algorithm signs records and certificates (RS256, DS256, ES256, EdDSA, SM2256): a
 * two-certificate chain verifies, a changed value does not, and the JWS names the algorithm.
 */
class AlgorithmsTest {
    private static final String PUMP = "88.100.1/PUMP-1";

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void signsAndVerifiesThroughAChain(SignatureAlgorithm algorithm) throws Exception {
        Pki pki = new Pki(algorithm, TrustRoot.DEFAULT_CN_ROOT_HANDLE, Clock.systemUTC());
        List<HandleValue> values = pki.lineSigner().signed(PUMP, Pki.pumpValues());
        Jws jws = Jws.parse(values.get(values.size() - 1).dataAsString());
        assertEquals(algorithm, jws.algorithm());

        VerificationReport report = pki.verifier().verify(PUMP, values, true);
        assertTrue(report.verified(), report.render());
        assertTrue(report.render().contains("(" + algorithm.jwsAlgorithm() + ")"), report.render());

        List<HandleValue> tampered = new ArrayList<>(values);
        tampered.set(0, HandleValue.builder(1, "URL").data("https://evil.example").build());
        assertFalse(pki.verifier().verify(PUMP, tampered, true).verified());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aKeyOfAnotherAlgorithmNeverVerifies(SignatureAlgorithm algorithm) throws Exception {
        Jws jws = Pki.ENGINE.sign("{}".getBytes(), Pki.keys(algorithm).getPrivate());
        for (SignatureAlgorithm other : SignatureAlgorithm.values()) {
            if (other != algorithm) {
                assertFalse(Pki.ENGINE.verify(jws, Pki.keys(other).getPublic()), algorithm + " checked with " + other);
            }
        }
    }
}
