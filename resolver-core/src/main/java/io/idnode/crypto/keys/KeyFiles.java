package io.idnode.crypto.keys;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.WrongPassphraseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Key files of a node: PEM (PKCS#8 private keys, X.509 SubjectPublicKeyInfo public keys, of any
 * {@link SignatureAlgorithm}, told apart by the OID of their AlgorithmIdentifier) and the Handle binary
 * private-key file of handle-protocol.md §5.4 ({@code admpriv.bin}/{@code privkey.bin}). Private keys are
 * written owner-only (mode 600 where the file system is POSIX). Every failure is an {@link IOException}
 * naming the file. Thread-safe.
 */
public final class KeyFiles {
    /** Size of the RSA keys {@link #generateRsa} makes. */
    public static final int RSA_BITS = 2048;

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final CryptoProviders providers;
    private final HandleKeyCodec codec;

    /** Key files whose keys are made by the engines {@code providers} assigns to each algorithm. */
    public KeyFiles(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.codec = new HandleKeyCodec(providers);
    }

    /** A fresh {@value #RSA_BITS}-bit RSA key pair. */
    public KeyPair generateRsa(SecureRandom random) {
        SignatureAlgorithm rsa = SignatureAlgorithm.RSA;
        KeyPairGenerator gen = providers.forAlgorithm(rsa).keyPairGenerator(rsa.jcaKeyAlgorithm());
        gen.initialize(RSA_BITS, random);
        return gen.generateKeyPair();
    }

    /** Writes a private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), readable by the owner only. */
    public void writePrivateKeyPem(Path file, PrivateKey key) throws IOException {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IOException(file + ": " + key.getAlgorithm() + " private key has no PKCS#8 encoding");
        }
        writeOwnerOnly(file, pem(PRIVATE_LABEL, der));
        Arrays.fill(der, (byte) 0);
    }

    /** Writes a public key as X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}). */
    public void writePublicKeyPem(Path file, PublicKey key) throws IOException {
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IOException(file + ": " + key.getAlgorithm() + " public key has no X.509 encoding");
        }
        Files.write(file, pem(PUBLIC_LABEL, der));
    }

    /** Reads a private key of a registry algorithm from PKCS#8 PEM. */
    public PrivateKey readPrivateKeyPem(Path file) throws IOException {
        byte[] der = pemBody(file, read(file), PRIVATE_LABEL);
        try {
            SignatureAlgorithm alg = algorithmOf(file, der, true);
            return providers.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": invalid PKCS#8 private key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Reads a public key of a registry algorithm from X.509 SubjectPublicKeyInfo PEM. */
    public PublicKey readPublicKeyPem(Path file) throws IOException {
        byte[] der = pemBody(file, read(file), PUBLIC_LABEL);
        try {
            SignatureAlgorithm alg = algorithmOf(file, der, false);
            return providers.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": invalid X.509 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a Handle binary private-key file (§5.4); {@code passphrase} is needed for encryption type 4 and
     * may be {@code null} otherwise.
     */
    public PrivateKey readHandlePrivateKey(Path file, char[] passphrase) throws IOException {
        byte[] data = read(file);
        try {
            return codec.decodePrivateKeyFile(data, passphrase);
        } catch (WrongPassphraseException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new IOException(file + ": not a Handle private-key file: " + e.getMessage());
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /**
     * Writes a Handle binary private-key file, owner-only: encryption type 4 (PBKDF2/AES) when a passphrase
     * is given, else type 1.
     */
    public void writeHandlePrivateKey(Path file, PrivateKey key, char[] passphrase, SecureRandom random)
            throws IOException {
        byte[] data = passphrase == null ? codec.encodePrivateKeyFile(key)
                : codec.encodePrivateKeyFile(key, passphrase, random);
        try {
            writeOwnerOnly(file, data);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /**
     * Reads a private key whatever its form: PKCS#8 PEM if the file starts like PEM, else a Handle binary
     * private-key file.
     */
    public PrivateKey readPrivateKey(Path file, char[] passphrase) throws IOException {
        byte[] head = read(file);
        boolean pem = new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1).strip()
                .startsWith("-----BEGIN");
        Arrays.fill(head, (byte) 0);
        return pem ? readPrivateKeyPem(file) : readHandlePrivateKey(file, passphrase);
    }

    /** The registry algorithm named by the AlgorithmIdentifier of a PKCS#8 or X.509 structure. */
    private static SignatureAlgorithm algorithmOf(Path file, byte[] der, boolean isPrivate) throws IOException {
        AlgorithmIdentifier id;
        try {
            id = isPrivate ? PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm()
                    : SubjectPublicKeyInfo.getInstance(der).getAlgorithm();
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            // BouncyCastle's ASN.1 parser reports malformed DER with these unchecked exceptions.
            throw new IOException(file + ": invalid " + (isPrivate ? "PKCS#8 private" : "X.509 public") + " key: "
                    + e.getMessage(), e);
        }
        String oid = id.getAlgorithm().getId();
        return SignatureAlgorithm.forKeyOid(oid).orElseThrow(() -> new IOException(file
                + ": unsupported key algorithm " + oid + " ("
                + SignatureAlgorithm.describe(SignatureAlgorithm::jcaKeyAlgorithm) + " keys only)"));
    }

    private static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes is too large for a key file");
        }
        return Files.readAllBytes(file);
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pemBody(Path file, byte[] content, String label) throws IOException {
        String text = new String(content, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            throw new IOException(file + ": not a PEM file (no -----BEGIN line)");
        }
        int labelEnd = text.indexOf("-----", begin + 11);
        if (labelEnd < 0) {
            throw new IOException(file + ": malformed PEM header");
        }
        String found = text.substring(begin + 11, labelEnd);
        if (!found.equals(label)) {
            String hint = found.equals("RSA PRIVATE KEY") || found.equals("DSA PRIVATE KEY")
                    ? " (convert with: openssl pkcs8 -topk8 -nocrypt -in <file>)"
                    : found.equals("ENCRYPTED PRIVATE KEY") ? " (encrypted PKCS#8 is not supported)" : "";
            throw new IOException(file + ": PEM block \"" + found + "\", expected \"" + label + "\"" + hint);
        }
        String endMarker = "-----END " + label + "-----";
        int end = text.indexOf(endMarker, labelEnd + 5);
        if (end < 0) {
            throw new IOException(file + ": PEM block has no " + endMarker + " line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(labelEnd + 5, end));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": PEM body is not base64: " + e.getMessage());
        }
    }

    /**
     * Writes through a temporary file created owner-only in the same directory, then renames it over the
     * target, so the key is never readable by others, not even briefly.
     */
    private static void writeOwnerOnly(Path file, byte[] data) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".key-", ".tmp", attrs);
        try {
            Files.write(tmp, data);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (posix) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
