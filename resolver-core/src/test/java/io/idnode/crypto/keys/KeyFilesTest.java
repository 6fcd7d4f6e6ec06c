package io.idnode.crypto.keys;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idnode.testing.Vectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    private static final KeyFiles FILES = new KeyFiles(PROVIDERS);
    private static KeyPair generated;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        generated = FILES.generateRsa(new SecureRandom());
    }

    @Test
    void generatedKeysAreRsa2048() {
        assertThat(generated.getPublic()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) generated.getPublic()).getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void privatePemIsPkcs8OwnerOnlyAndReadsBack() throws Exception {
        Path file = dir.resolve("server.key");
        FILES.writePrivateKeyPem(file, generated.getPrivate());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(FILES.readPrivateKeyPem(file)).isEqualTo(generated.getPrivate());
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void overwritingAnExistingKeyFileKeepsItOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path file = dir.resolve("server.key");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FILES.writePrivateKeyPem(file, generated.getPrivate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(FILES.readPrivateKeyPem(file)).isEqualTo(generated.getPrivate());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void publicPemIsX509AndReadsBack() throws Exception {
        Path file = dir.resolve("server.pub");
        FILES.writePublicKeyPem(file, generated.getPublic());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(FILES.readPublicKeyPem(file)).isEqualTo(generated.getPublic());
    }

    @Test
    void dsaPemKeysReadBack() throws Exception {
        Path priv = dir.resolve("dsa.key");
        Path pub = dir.resolve("dsa.pub");
        FILES.writePrivateKeyPem(priv, dsaPrivate());
        FILES.writePublicKeyPem(pub, dsaPublic());
        assertThat(FILES.readPrivateKeyPem(priv).getEncoded()).isEqualTo(Vectors.key("dsa_private_pkcs8"));
        assertThat(FILES.readPublicKeyPem(pub).getEncoded()).isEqualTo(Vectors.key("dsa_public_x509"));
    }

    @Test
    void handleBinaryKeyFilesRoundTripWithAndWithoutPassphrase() throws Exception {
        Path plain = dir.resolve("privkey.bin");
        FILES.writeHandlePrivateKey(plain, rsaPrivate(), null, new SecureRandom());
        assertThat(FILES.readHandlePrivateKey(plain, null).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));

        Path encrypted = dir.resolve("admpriv.bin");
        char[] pass = "s3cret".toCharArray();
        FILES.writeHandlePrivateKey(encrypted, rsaPrivate(), pass, new SecureRandom());
        assertThat(ByteBuffer.wrap(Files.readAllBytes(encrypted)).getInt()).isEqualTo(HandleKeyCodec.FILE_PBKDF2_AES);
        PrivateKey back = FILES.readHandlePrivateKey(encrypted, pass);
        assertThat(back.getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(encrypted))).isEqualTo("rw-------");
        }
    }

    @Test
    void wrongPassphraseFailsNamingTheFile() throws Exception {
        Path encrypted = dir.resolve("admpriv.bin");
        FILES.writeHandlePrivateKey(encrypted, rsaPrivate(), "right".toCharArray(), new SecureRandom());
        assertThatThrownBy(() -> FILES.readHandlePrivateKey(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(encrypted.toString())
                .hasMessageContaining("wrong passphrase");
    }

    @Test
    void readPrivateKeyDetectsTheFormat() throws Exception {
        Path pem = dir.resolve("a.pem");
        Path bin = dir.resolve("a.bin");
        FILES.writePrivateKeyPem(pem, rsaPrivate());
        FILES.writeHandlePrivateKey(bin, rsaPrivate(), "p".toCharArray(), new SecureRandom());
        assertThat(FILES.readPrivateKey(pem, null).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
        assertThat(FILES.readPrivateKey(bin, "p".toCharArray()).getEncoded())
                .isEqualTo(Vectors.key("rsa_private_pkcs8"));
    }

    @Test
    void badInputFailsNamingTheFile() throws Exception {
        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> FILES.readPrivateKeyPem(pkcs1)).isInstanceOf(IOException.class)
                .hasMessageContaining(pkcs1.toString()).hasMessageContaining("openssl pkcs8");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> FILES.readPublicKeyPem(text)).isInstanceOf(IOException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("not a PEM");

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> FILES.readPublicKeyPem(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining(garbage.toString());

        Path bin = dir.resolve("junk.bin");
        Files.write(bin, "\u0000\u0000\u0000\u0001junk".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> FILES.readHandlePrivateKey(bin, null)).isInstanceOf(IOException.class)
                .hasMessageContaining(bin.toString());

        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> FILES.readPrivateKeyPem(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void pemKeysOutsideTheRegistryAreRefusedNamingTheirAlgorithm() throws Exception {
        Path sm2 = dir.resolve("sm2.pub.pem");
        Files.writeString(sm2, Vectors.file(Vectors.CN).path("keys").path("sm2_user").path("spki_pem").asText());
        assertThatThrownBy(() -> FILES.readPublicKeyPem(sm2)).isInstanceOf(IOException.class)
                .hasMessage(sm2 + ": unsupported key algorithm 1.2.840.10045.2.1 (RSA or DSA keys only)");
        Path sm2Private = dir.resolve("sm2.pem");
        Files.writeString(sm2Private, Vectors.file(Vectors.CN).path("keys").path("sm2_user").path("pkcs8_pem")
                .asText());
        assertThatThrownBy(() -> FILES.readPrivateKeyPem(sm2Private)).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported key algorithm 1.2.840.10045.2.1");
    }
}
