package io.idnode.client;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.Jwk;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.sign.HandleClaims;
import io.idnode.sign.Jws;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordSigner;
import io.idnode.sign.SignatureFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signs records as they are registered (handle-protocol.md §5.6): each record gets an HS_SIGNATURE over its
 * public values by one signer, whose certificate (HS_CERT) says who it is. Used by single creates
 * ({@link #sign}) and by batches ({@link BatchOptions#withSigning}), which sign on a pool of their own, one
 * thread per core, so that signing runs in parallel with the network and is never the bottleneck.
 * Thread-safe.
 */
public final class RecordSigning {
    /** How long the signatures made are valid unless set. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static volatile ExecutorService pool;

    private final RecordSigner signer;

    /** Signing with {@code signer}. */
    public RecordSigning(RecordSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * The signer of a private-key file ({@code keyFile}, PKCS#8 PEM or a Handle private-key file) whose
     * certificate, a compact JWS, is in {@code certFile}: the signatures name the certificate's {@code sub}
     * as issuer, so verifiers find the certificate at that handle.
     *
     * @throws IOException naming the file that does not read, or saying that the key is not the certified one
     */
    public static RecordSigning fromFiles(Path keyFile, Path certFile, CryptoProviders providers,
            Duration validity) throws IOException {
        PrivateKey key = new KeyFiles(providers).readPrivateKey(keyFile, null);
        HandleClaims cert;
        PublicKey certified;
        try {
            Jws jws = Jws.parse(Files.readString(certFile, StandardCharsets.US_ASCII));
            cert = HandleClaims.parse(jws.payload());
            if (cert.publicKey() == null) {
                throw new IOException(certFile + ": not a certificate (no publicKey claim)");
            }
            certified = new Jwk(providers).fromJwk(cert.publicKey());
        } catch (SignatureFormatException | CryptoException e) {
            throw new IOException(certFile + ": not a certificate: " + e.getMessage(), e);
        }
        ValueReference who = reference(cert.sub(), certFile);
        JwsEngine engine = new JwsEngine(providers);
        try {
            Jws probe = engine.sign("{}".getBytes(StandardCharsets.US_ASCII), key);
            if (!engine.verify(probe, certified)) {
                throw new IOException(keyFile + " is not the key " + certFile + " certifies for " + cert.sub());
            }
            return new RecordSigning(new RecordSigner(engine, key, who, List.of(), validity, Clock.systemUTC()));
        } catch (CryptoException e) {
            throw new IOException(keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The core signer, e.g. to issue certificates with the same key. */
    public RecordSigner signer() {
        return signer;
    }

    /** {@code values} of {@code handle} with an HS_SIGNATURE covering them, replacing any there was. */
    public List<HandleValue> sign(String handle, List<HandleValue> values) {
        return signer.signed(handle, values);
    }

    /** A registration with its values signed. */
    public Registration sign(Registration registration) {
        return new Registration(registration.handle(), sign(registration.handle(), registration.values()));
    }

    /** The pool batches sign on: daemon threads, one per core, made on first use. */
    static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (RecordSigning.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
                        Thread t = new Thread(r, "idnode-signing-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }

    private static ValueReference reference(String text, Path file) throws IOException {
        int colon = text.indexOf(':');
        try {
            if (colon > 0) {
                return new ValueReference(text.substring(colon + 1), Integer.parseInt(text.substring(0, colon)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + ": the certificate's sub \"" + text + "\" is not INDEX:HANDLE");
    }
}
