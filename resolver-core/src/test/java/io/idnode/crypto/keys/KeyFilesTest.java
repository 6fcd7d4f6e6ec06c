package io.idnode.crypto.keys;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.testing.Vectors;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = gen.generateKeyPair();
        Path pub = dir.resolve("p384.pub.pem");
        FILES.writePublicKeyPem(pub, p384.getPublic());
        assertThatThrownBy(() -> FILES.readPublicKeyPem(pub)).isInstanceOf(IOException.class)
                .hasMessage(pub + ": unsupported key algorithm 1.2.840.10045.2.1 on curve 1.3.132.0.34 (RSA, DSA, "
                        + "EC/secp256r1, Ed25519 or EC/sm2p256v1 keys only)");
        Path priv = dir.resolve("p384.pem");
        FILES.writePrivateKeyPem(priv, p384.getPrivate());
        assertThatThrownBy(() -> FILES.readPrivateKeyPem(priv)).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported key algorithm 1.2.840.10045.2.1 on curve 1.3.132.0.34");
    }

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ECDSA_P256", "ED25519", "SM2"})
    void newKeyTypesAreGeneratedWrittenAndReadBackAsPkcs8AndX509Pem(SignatureAlgorithm alg) throws Exception {
        KeyPair pair = FILES.generate(alg, new SecureRandom());
        assertThat(SignatureAlgorithm.forKey(pair.getPrivate())).isEqualTo(alg);
        Path priv = dir.resolve(alg + ".pem");
        Path pub = dir.resolve(alg + ".pub.pem");
        FILES.writePrivateKeyPem(priv, pair.getPrivate());
        FILES.writePublicKeyPem(pub, pair.getPublic());
        PrivateKey back = FILES.readPrivateKey(priv, null);
        assertThat(back.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SignatureAlgorithm.forKey(back)).isEqualTo(alg);
        assertThat(FILES.readPublicKeyPem(pub)).isEqualTo(pair.getPublic());
        Signature s = PROVIDERS.forAlgorithm(alg).signature(alg.jwsSignature());
        s.initSign(back);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(FILES.readPublicKeyPem(pub));
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        assertThatThrownBy(() -> FILES.writeHandlePrivateKey(dir.resolve("x.bin"), pair.getPrivate(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Handle binary private-key encoding");
    }

    @Test
    void theCnVectorSm2KeyFilesReadInTheSdksCrlfLayout() throws Exception {
        for (String name : List.of("sm2_user", "sm2_root", "sm2_signer")) {
            JsonNode key = Vectors.file(Vectors.CN).path("keys").path(name);
            Path priv = dir.resolve(name + ".pem");
            Files.writeString(priv, key.path("pkcs8_pem").asText());
            PrivateKey read = FILES.readPrivateKey(priv, null);
            assertThat(SignatureAlgorithm.forKey(read)).isEqualTo(SignatureAlgorithm.SM2);
            assertThat(read.getEncoded()).isEqualTo(Vectors.hex(key.path("pkcs8_der_hex").asText()));
            assertThat(((ECPrivateKey) read).getS()).isEqualTo(new BigInteger(key.path("d_hex").asText(), 16));
            Path pub = dir.resolve(name + ".pub.pem");
            Files.writeString(pub, key.path("spki_pem").asText());
            assertThat(FILES.readPublicKeyPem(pub).getEncoded())
                    .isEqualTo(Vectors.hex(key.path("spki_der_hex").asText()));
        }
    }

    @Test
    void encryptedPkcs8KeysOpenWithTheirPassphraseOnly() throws Exception {
        JsonNode key = Vectors.file(Vectors.CN).path("keys").path("sm2_user");
        PrivateKey sm2 = FILES.readPrivateKey(write("plain.pem", key.path("pkcs8_pem").asText()), null);
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(PROVIDERS.bouncyCastleProvider()).setPasssword("s3cret".toCharArray())
                .setIterationCount(2048).build();
        PemObject pem = new JcaPKCS8Generator(sm2, encryptor).generate();
        StringWriter text = new StringWriter();
        try (PemWriter w = new PemWriter(text)) {
            w.writeObject(pem);
        }
        assertThat(text.toString()).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Path encrypted = write("encrypted.pem", text.toString());
        assertThat(FILES.readPrivateKey(encrypted, "s3cret".toCharArray()).getEncoded()).isEqualTo(sm2.getEncoded());
        assertThatThrownBy(() -> FILES.readPrivateKey(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining(encrypted + ": wrong passphrase");
        assertThatThrownBy(() -> FILES.readPrivateKey(encrypted, null))
                .isInstanceOf(IOException.class).hasMessageContaining("no passphrase was given");
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
