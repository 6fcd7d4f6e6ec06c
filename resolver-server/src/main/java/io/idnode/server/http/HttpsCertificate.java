package io.idnode.server.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate and key of the node's HTTPS port: the files given ({@code --https-cert}, {@code --https-key},
 * PEM), or else a self-signed certificate made at first start in the data folder's keys, as the node makes its
 * keys ({@value #CERT_FILE}, {@value #KEY_FILE}; EC P-256, ten years, named for {@code localhost}, loopback and the
 * advertised address). BouncyCastle is passed in as a provider, never installed.
 */
public final class HttpsCertificate {
    /** The generated certificate in the keys folder. */
    public static final String CERT_FILE = "https-cert.pem";
    /** The generated key in the keys folder (PKCS#8 PEM, readable by the owner only). */
    public static final String KEY_FILE = "https-key.pem";
    private static final Logger LOG = LoggerFactory.getLogger(HttpsCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private HttpsCertificate() {
    }

    /** The TLS context of {@code cert} and {@code key} if given, else of the certificate in {@code keysDir}, made if absent. */
    public static SslContext context(Path keysDir, Path cert, Path key, InetAddress advertised) throws IOException {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        Path certFile = cert != null ? cert : keysDir.resolve(CERT_FILE);
        Path keyFile = key != null ? key : keysDir.resolve(KEY_FILE);
        if (cert == null && !Files.exists(certFile)) {
            generate(certFile, keyFile, advertised, bc);
        }
        try {
            return SslContextBuilder.forServer(readKey(keyFile, bc), readCertificates(certFile, bc)).build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " for HTTPS: " + e.getMessage(), e);
        }
    }

    private static void generate(Path certFile, Path keyFile, InetAddress advertised, BouncyCastleProvider bc)
            throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=localhost, O=Idnode");
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            if (advertised != null && !advertised.getHostAddress().equals("127.0.0.1")) {
                names.add(new GeneralName(GeneralName.iPAddress, advertised.getHostAddress()));
            }
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(bc).build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(bc).getCertificate(holder);
            Files.createDirectories(keyFile.getParent());
            writeAtomically(keyFile, pem(pair.getPrivate()), true);
            writeAtomically(certFile, pem(certificate), false);
            LOG.info("created self-signed HTTPS certificate {}", certFile);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the HTTPS certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                    : o);
        }
        return text.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static PrivateKey readKey(Path file, BouncyCastleProvider bc) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(bc);
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + " holds no unencrypted PEM private key");
        }
    }

    /** The certificates of a PEM file, the server's first. */
    public static X509Certificate[] readCertificates(Path file, BouncyCastleProvider bc) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(bc);
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(converter.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate");
        }
        return chain.toArray(X509Certificate[]::new);
    }
}
