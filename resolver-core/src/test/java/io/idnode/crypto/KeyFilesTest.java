package io.idnode.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idnode.testing.Vectors;
import java.io.IOException;
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
    private static KeyPair generated;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        generated = KeyFiles.generateRsa(new SecureRandom());
    }

    @Test
    void generatedKeysAreRsa2048() {
        assertThat(generated.getPublic()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) generated.getPublic()).getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void privatePemIsPkcs8OwnerOnlyAndReadsBack() throws Exception {
        Path file = dir.resolve("server.key");
        KeyFiles.writePrivateKeyPem(file, generated.getPrivate());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(KeyFiles.readPrivateKeyPem(file)).isEqualTo(generated.getPrivate());
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void overwritingAnExistingKeyFileKeepsItOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path file = dir.resolve("server.key");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFiles.writePrivateKeyPem(file, generated.getPrivate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyFiles.readPrivateKeyPem(file)).isEqualTo(generated.getPrivate());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void publicPemIsX509AndReadsBack() throws Exception {
        Path file = dir.resolve("server.pub");
        KeyFiles.writePublicKeyPem(file, generated.getPublic());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(KeyFiles.readPublicKeyPem(file)).isEqualTo(generated.getPublic());
    }

    @Test
    void dsaPemKeysReadBack() throws Exception {
        Path priv = dir.resolve("dsa.key");
        Path pub = dir.resolve("dsa.pub");
        KeyFiles.writePrivateKeyPem(priv, Fixtures.dsaPrivate());
        KeyFiles.writePublicKeyPem(pub, Fixtures.dsaPublic());
        assertThat(KeyFiles.readPrivateKeyPem(priv).getEncoded()).isEqualTo(Vectors.key("dsa_private_pkcs8"));
        assertThat(KeyFiles.readPublicKeyPem(pub).getEncoded()).isEqualTo(Vectors.key("dsa_public_x509"));
    }

    @Test
    void handleBinaryKeyFilesRoundTripWithAndWithoutPassphrase() throws Exception {
        Path plain = dir.resolve("privkey.bin");
        KeyFiles.writeHandlePrivateKey(plain, Fixtures.rsaPrivate(), null, new SecureRandom());
        assertThat(KeyFiles.readHandlePrivateKey(plain, null).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));

        Path encrypted = dir.resolve("admpriv.bin");
        char[] pass = "s3cret".toCharArray();
        KeyFiles.writeHandlePrivateKey(encrypted, Fixtures.rsaPrivate(), pass, new SecureRandom());
        assertThat(HandleKeyCodec.keyFileEncryption(Files.readAllBytes(encrypted)))
                .isEqualTo(HandleKeyCodec.FILE_PBKDF2_AES);
        PrivateKey back = KeyFiles.readHandlePrivateKey(encrypted, pass);
        assertThat(back.getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(encrypted))).isEqualTo("rw-------");
        }
    }

    @Test
    void wrongPassphraseFailsNamingTheFile() throws Exception {
        Path encrypted = dir.resolve("admpriv.bin");
        KeyFiles.writeHandlePrivateKey(encrypted, Fixtures.rsaPrivate(), "right".toCharArray(), new SecureRandom());
        assertThatThrownBy(() -> KeyFiles.readHandlePrivateKey(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(encrypted.toString())
                .hasMessageContaining("wrong passphrase");
    }

    @Test
    void readPrivateKeyDetectsTheFormat() throws Exception {
        Path pem = dir.resolve("a.pem");
        Path bin = dir.resolve("a.bin");
        KeyFiles.writePrivateKeyPem(pem, Fixtures.rsaPrivate());
        KeyFiles.writeHandlePrivateKey(bin, Fixtures.rsaPrivate(), "p".toCharArray(), new SecureRandom());
        assertThat(KeyFiles.readPrivateKey(pem, null).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
        assertThat(KeyFiles.readPrivateKey(bin, "p".toCharArray()).getEncoded())
                .isEqualTo(Vectors.key("rsa_private_pkcs8"));
    }

    @Test
    void badInputFailsNamingTheFile() throws Exception {
        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> KeyFiles.readPrivateKeyPem(pkcs1)).isInstanceOf(IOException.class)
                .hasMessageContaining(pkcs1.toString()).hasMessageContaining("openssl pkcs8");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> KeyFiles.readPublicKeyPem(text)).isInstanceOf(IOException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("not a PEM");

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> KeyFiles.readPublicKeyPem(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining(garbage.toString());

        Path bin = dir.resolve("junk.bin");
        Files.write(bin, "\u0000\u0000\u0000\u0001junk".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> KeyFiles.readHandlePrivateKey(bin, null)).isInstanceOf(IOException.class)
                .hasMessageContaining(bin.toString());

        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> KeyFiles.readPrivateKeyPem(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }
}
