package io.idnode.crypto.keys;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnusableKeyException;
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
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

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

    private static final String PRIVATE_LABEL = KeyDer.PRIVATE_LABEL;
    private static final String PUBLIC_LABEL = KeyDer.PUBLIC_LABEL;
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
        return generate(SignatureAlgorithm.RSA, random);
    }

    /**
     * A fresh key pair of {@code algorithm} from its own engines: RSA and DSA of {@value #RSA_BITS} bits, EC keys
     * on the entry's curve (P-256, sm2p256v1), Ed25519.
     */
    public KeyPair generate(SignatureAlgorithm algorithm, SecureRandom random) {
        KeyPairGenerator gen = providers.forAlgorithm(algorithm).keyPairGenerator(algorithm.jcaKeyAlgorithm());
        try {
            if (algorithm.curve().isPresent()) {
                gen.initialize(new ECGenParameterSpec(algorithm.curve().get().name()), random);
            } else if (algorithm != SignatureAlgorithm.ED25519) {
                gen.initialize(RSA_BITS, random);
            }
        } catch (InvalidAlgorithmParameterException e) {
            throw new CryptoEngineException(algorithm + " key generation cannot start", e);
        }
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
        return readPrivateKeyPem(file, null);
    }

    /**
     * Reads a private key of a registry algorithm from PKCS#8 PEM, plain ({@code BEGIN PRIVATE KEY}) or
     * encrypted ({@code BEGIN ENCRYPTED PRIVATE KEY}, any PBES2 or PKCS#12 PBE scheme, opened with
     * {@code passphrase}), cn-extensions.md §2.1.
     */
    public PrivateKey readPrivateKeyPem(Path file, char[] passphrase) throws IOException {
        byte[] content = read(file);
        String text = new String(content, StandardCharsets.US_ASCII);
        Arrays.fill(content, (byte) 0);
        byte[] der = KeyDer.ENCRYPTED_PRIVATE_LABEL.equals(KeyDer.label(text))
                ? decrypt(file, pemBody(file, text, KeyDer.ENCRYPTED_PRIVATE_LABEL), passphrase)
                : pemBody(file, text, PRIVATE_LABEL);
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
        byte[] der = pemBody(file, new String(read(file), StandardCharsets.US_ASCII), PUBLIC_LABEL);
        try {
            return KeyDer.publicKey(providers, der);
        } catch (CryptoException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
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
        boolean pem = KeyDer.looksLikePem(head);
        Arrays.fill(head, (byte) 0);
        return pem ? readPrivateKeyPem(file, passphrase) : readHandlePrivateKey(file, passphrase);
    }

    /** The registry algorithm named by the AlgorithmIdentifier (and curve) of a PKCS#8 or X.509 structure. */
    private static SignatureAlgorithm algorithmOf(Path file, byte[] der, boolean isPrivate) throws IOException {
        try {
            return KeyDer.algorithmOf(der, isPrivate);
        } catch (CryptoException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The PrivateKeyInfo DER inside an EncryptedPrivateKeyInfo, opened with {@code passphrase}. */
    private byte[] decrypt(Path file, byte[] der, char[] passphrase) throws IOException {
        if (passphrase == null) {
            throw new IOException(file + ": the private key is encrypted and no passphrase was given");
        }
        try {
            PKCS8EncryptedPrivateKeyInfo info = new PKCS8EncryptedPrivateKeyInfo(der);
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(providers.bouncyCastleProvider()).build(passphrase);
            return info.decryptPrivateKeyInfo(decryptor).getEncoded();
        } catch (PKCSException e) {
            throw new IOException(file + ": wrong passphrase (or corrupt encrypted private key)", e);
        } catch (OperatorCreationException | IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + ": invalid encrypted PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes is too large for a key file");
        }
        return Files.readAllBytes(file);
    }

    private static byte[] pem(String label, byte[] der) {
        return KeyDer.pem(label, der, 64, "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pemBody(Path file, String text, String label) throws IOException {
        String found = KeyDer.label(text);
        String hint = "RSA PRIVATE KEY".equals(found) || "DSA PRIVATE KEY".equals(found)
                || "EC PRIVATE KEY".equals(found) ? " (convert with: openssl pkcs8 -topk8 -nocrypt -in <file>)" : "";
        try {
            return KeyDer.pemBody(text, label);
        } catch (UnusableKeyException e) {
            throw new IOException(file + ": " + e.getMessage() + hint, e);
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
