package io.idnode.crypto;

import io.idnode.codec.CodecException;
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
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * Key files of a node: PEM (PKCS#8 private keys, X.509 SubjectPublicKeyInfo public keys; RSA and DSA) and
 * the Handle binary private-key file of handle-protocol.md §5.4 ({@code admpriv.bin}/{@code privkey.bin}).
 * Private keys are written owner-only (mode 600 where the file system is POSIX). Every failure is an
 * {@link IOException} naming the file.
 */
public final class KeyFiles {
    /** Size of the RSA keys {@link #generateRsa} makes. */
    public static final int RSA_BITS = 2048;

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01,
        0x01};
    /** DER of OID 1.2.840.10040.4.1 (id-dsa). */
    private static final byte[] DSA_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x38, 0x04, 0x01};
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** A fresh {@value #RSA_BITS}-bit RSA key pair. */
    public static KeyPair generateRsa(SecureRandom random) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(RSA_BITS, random);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("RSA key generation is not available", e);
        }
    }

    /** Writes a private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), readable by the owner only. */
    public static void writePrivateKeyPem(Path file, PrivateKey key) throws IOException {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IOException(file + ": " + key.getAlgorithm() + " private key has no PKCS#8 encoding");
        }
        writeOwnerOnly(file, pem(PRIVATE_LABEL, der));
        Arrays.fill(der, (byte) 0);
    }

    /** Writes a public key as X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}). */
    public static void writePublicKeyPem(Path file, PublicKey key) throws IOException {
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IOException(file + ": " + key.getAlgorithm() + " public key has no X.509 encoding");
        }
        Files.write(file, pem(PUBLIC_LABEL, der));
    }

    /** Reads an RSA or DSA private key from PKCS#8 PEM. */
    public static PrivateKey readPrivateKeyPem(Path file) throws IOException {
        byte[] der = pemBody(file, read(file), PRIVATE_LABEL);
        try {
            String alg = algorithmOf(file, der);
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": invalid PKCS#8 private key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Reads an RSA or DSA public key from X.509 SubjectPublicKeyInfo PEM. */
    public static PublicKey readPublicKeyPem(Path file) throws IOException {
        byte[] der = pemBody(file, read(file), PUBLIC_LABEL);
        try {
            String alg = algorithmOf(file, der);
            return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": invalid X.509 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a Handle binary private-key file (§5.4); {@code passphrase} is needed for encryption type 4 and
     * may be {@code null} otherwise.
     */
    public static PrivateKey readHandlePrivateKey(Path file, char[] passphrase) throws IOException {
        byte[] data = read(file);
        try {
            return HandleKeyCodec.DEFAULT.decodePrivateKeyFile(data, passphrase);
        } catch (CodecException e) {
            throw new IOException(file + ": not a Handle private-key file: " + e.getMessage());
        } catch (WrongPassphraseException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /**
     * Writes a Handle binary private-key file, owner-only: encryption type 4 (PBKDF2/AES) when a passphrase
     * is given, else type 1.
     */
    public static void writeHandlePrivateKey(Path file, PrivateKey key, char[] passphrase, SecureRandom random)
            throws IOException {
        byte[] data = passphrase == null ? HandleKeyCodec.encodePrivateKeyFile(key)
                : HandleKeyCodec.DEFAULT.encodePrivateKeyFile(key, passphrase, random);
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
    public static PrivateKey readPrivateKey(Path file, char[] passphrase) throws IOException {
        byte[] head = read(file);
        boolean pem = new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1).strip()
                .startsWith("-----BEGIN");
        Arrays.fill(head, (byte) 0);
        return pem ? readPrivateKeyPem(file) : readHandlePrivateKey(file, passphrase);
    }

    /** The key algorithm named by the AlgorithmIdentifier near the start of a PKCS#8 or X.509 structure. */
    private static String algorithmOf(Path file, byte[] der) throws IOException {
        int window = Math.min(der.length, 40);
        if (indexOf(der, window, RSA_OID) >= 0) {
            return "RSA";
        }
        if (indexOf(der, window, DSA_OID) >= 0) {
            return "DSA";
        }
        throw new IOException(file + ": unsupported key algorithm (RSA or DSA keys only)");
    }

    private static int indexOf(byte[] haystack, int limit, byte[] needle) {
        for (int i = 0; i + needle.length <= limit; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
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
