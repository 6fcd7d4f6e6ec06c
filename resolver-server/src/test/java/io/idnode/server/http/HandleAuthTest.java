package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code Authorization: Handle} scheme and its sessions over HTTPS (handle-protocol.md §8, §8.1) with real keys
 * of each type the node holds as HS_PUBKEY, signed here with plain JCA (BouncyCastle for SM2) over
 * {@code nonce ‖ cnonce}, sent by the JDK's HttpClient: a session authenticates, later requests carry only its id
 * (header or cookie) and what they write is read back by the stock client over UDP; a wrong signature is 401 and
 * writes nothing; VERIFY_CHALLENGE over HTTP gives the same verdicts as over TCP; the node proves itself.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HandleAuthTest {
    static final String PREFIX = "88.100.1";
    static final String NOBODY = PREFIX + "/HTTP-NOBODY";
    static final String SECRET_ID = PREFIX + "/HTTP-SECKEY";
    static final String SECRET = "a long shared secret";
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final SecureRandom RANDOM = new SecureRandom();
    static final Map<SignatureAlgorithm, KeyPair> KEYS = new EnumMap<>(SignatureAlgorithm.class);

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)).httpsPort(0)
            .admins(java.util.stream.Stream.concat(Arrays.stream(SignatureAlgorithm.values()).map(a -> identity(a)),
                    java.util.stream.Stream.of(SECRET_ID)).map(h -> new ValueReference(h, 300)).toList()));

    @TempDir
    static Path temp;

    static ApiClient https;
    static ApiClient plain;
    static HandleResolver udp;
    static KeyPair nobodyKey;

    static String identity(SignatureAlgorithm a) {
        return PREFIX + "/HTTP-" + a.name();
    }

    @BeforeAll
    static void setUp() throws Exception {
        KeyFiles files = new KeyFiles(CryptoFixtures.PROVIDERS);
        HandleKeyCodec codec = new HandleKeyCodec(CryptoFixtures.PROVIDERS);
        for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
            KeyPair pair = files.generate(a, RANDOM);
            KEYS.put(a, pair);
            NODE.node().store().put(HandleRecord.of(identity(a), List.of(HandleValue.builder(300, "HS_PUBKEY")
                    .data(codec.encodePublicKey(pair.getPublic())).timestamp(1_700_000_000).build())));
        }
        nobodyKey = files.generate(SignatureAlgorithm.RSA, RANDOM);
        NODE.node().store().put(HandleRecord.of(NOBODY, List.of(HandleValue.builder(300, "HS_PUBKEY")
                .data(codec.encodePublicKey(nobodyKey.getPublic())).timestamp(1_700_000_000).build())));
        NODE.node().store().put(HandleRecord.of(SECRET_ID, List.of(HandleValue.builder(300, "HS_SECKEY").data(SECRET)
                .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(1_700_000_000)
                .build())));
        https = ApiClient.https(NODE.dataDir(), NODE.node().httpsPort());
        plain = ApiClient.plain(NODE.node().httpPort());
        udp = StockClients.resolver(NODE.dataDir(), temp.resolve("udp"), Interface.SP_HDL_UDP);
    }

    // ------------------------------------------------------------------ the client's side, written from §8.1

    record Session(String id, byte[] nonce) { }

    static Session start() throws Exception {
        ApiClient.Answer made = https.send(https.to("/api/sessions").POST(BodyPublishers.noBody()));
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.raw().headers().firstValue("location")).hasValue("/api/sessions/this");
        JsonNode body = made.json();
        return new Session(body.get("sessionId").asText(), Base64.getDecoder().decode(body.get("nonce").asText()));
    }

    /** The JCA signature over {@code data} a client of key type {@code a} makes, and the {@code alg} it names. */
    static byte[] sign(SignatureAlgorithm a, PrivateKey key, String handle, byte[] data) throws Exception {
        Signature s = switch (a) {
            case RSA -> Signature.getInstance("SHA256withRSA");
            case DSA -> Signature.getInstance("SHA256withDSA");
            case ECDSA_P256 -> Signature.getInstance("SHA256withECDSA");
            case ED25519 -> Signature.getInstance("Ed25519", BC);
            case SM2 -> Signature.getInstance("SM3withSM2", BC);
        };
        if (a == SignatureAlgorithm.SM2) { // cn-extensions.md §3.2: SM3 of the data, the identity as user ID
            s.setParameter(new SM2ParameterSpec(handle.getBytes(StandardCharsets.UTF_8)));
            data = MessageDigest.getInstance("SM3", BC).digest(data);
        }
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    static String alg(SignatureAlgorithm a) {
        return a == SignatureAlgorithm.SM2 ? "SM3" : "SHA256";
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The header proving {@code handle} (index 300) with {@code key} for {@code session}'s nonce. */
    static String proof(Session session, SignatureAlgorithm a, String handle, PrivateKey key) throws Exception {
        byte[] cnonce = new byte[16];
        RANDOM.nextBytes(cnonce);
        byte[] signature = sign(a, key, handle, concat(session.nonce(), cnonce));
        return "Handle version=\"0\", sessionId=\"" + session.id() + "\", id=\""
                + URLEncoder.encode("300:" + handle, StandardCharsets.UTF_8) + "\", type=\"HS_PUBKEY\", cnonce=\""
                + Base64.getEncoder().encodeToString(cnonce) + "\", alg=\"" + alg(a) + "\", signature=\""
                + Base64.getEncoder().encodeToString(signature) + "\"";
    }

    static String only(Session s) {
        return "Handle version=\"0\", sessionId=\"" + s.id() + "\"";
    }

    static ApiClient.Answer put(String handle, String url, String authorization) throws Exception {
        return https.put("/api/handles/" + handle, "application/json", "[{\"index\":1,\"type\":\"URL\",\"data\":\""
                + url + "\"}]", authorization);
    }

    static List<String> udpData(String handle) throws Exception {
        return Arrays.stream(udp.resolveHandle(handle, null, null))
                .map(v -> v.getIndex() + "=" + v.getTypeAsString() + ":" + v.getDataAsString()).toList();
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"RSA", "DSA", "ECDSA_P256", "SM2"})
    void eachKeyTypeAuthenticatesASessionWhoseRecordsTheStockClientReadsOverUdp(SignatureAlgorithm a)
            throws Exception {
        Session s = start();
        ApiClient.Answer before = https.send(https.to("/api/sessions/this").header("Authorization", only(s)).GET());
        assertThat(before.json().get("authenticated").asBoolean()).isFalse();

        ApiClient.Answer proved = https.send(https.to("/api/sessions/this")
                .header("Authorization", proof(s, a, identity(a), KEYS.get(a).getPrivate()))
                .PUT(BodyPublishers.noBody()));
        assertThat(proved.status()).as(proved.body()).isEqualTo(200);
        assertThat(proved.json().get("authenticated").asBoolean()).isTrue();
        assertThat(proved.json().get("id").asText()).isEqualTo("300:" + identity(a));
        assertThat(proved.json().get("sessionId").asText()).isEqualTo(s.id());

        String h = PREFIX + "/HANDLE-AUTH-" + a.name();
        ApiClient.Answer created = put(h, "https://made.example/" + a.name(), only(s));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(udpData(h)).contains("1=URL:https://made.example/" + a.name());

        // the cookie alone carries the session too
        ApiClient.Answer deleted = https.send(https.to("/api/handles/" + h)
                .header("Cookie", ApiSessions.COOKIE + "=" + s.id()).DELETE());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(NODE.node().store().get(h)).isNull();
    }

    @Test
    void aWrongSignatureIs401WithAChallengeAndWritesNothing() throws Exception {
        Session s = start();
        String h = PREFIX + "/HANDLE-AUTH-WRONG";
        // RSA's identity, signed with another RSA key
        ApiClient.Answer wrong = put(h, "https://x.example", proof(s, SignatureAlgorithm.RSA,
                identity(SignatureAlgorithm.RSA), nobodyKey.getPrivate()));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("message").asText()).contains("does not prove");
        assertThat(wrong.raw().headers().allValues("www-authenticate"))
                .anyMatch(v -> v.startsWith("Handle sessionId=\"" + s.id() + "\", nonce="))
                .anyMatch(v -> v.startsWith("Basic"));
        assertThat(NODE.node().store().get(h)).isNull();
        ApiClient.Answer still = https.send(https.to("/api/sessions/this").header("Authorization", only(s)).GET());
        assertThat(still.json().get("authenticated").asBoolean()).isFalse();
        assertThat(put(h, "https://x.example", only(s)).status()).isEqualTo(401);
        assertThat(NODE.node().store().get(h)).isNull();

        // a signature by the right key over another nonce proves nothing either
        Session other = start();
        String signedForOther = proof(other, SignatureAlgorithm.RSA, identity(SignatureAlgorithm.RSA),
                KEYS.get(SignatureAlgorithm.RSA).getPrivate()).replace(other.id(), s.id());
        ApiClient.Answer replayed = https.send(https.to("/api/sessions/this").header("Authorization", signedForOther)
                .PUT(BodyPublishers.noBody()));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.json().get("authenticated").asBoolean()).isFalse();
        assertThat(replayed.json().get("error").asText()).contains("does not prove");
    }

    @Test
    void theChallengeOfA401IsAnsweredInTheNextRequestItself() throws Exception {
        String h = PREFIX + "/HANDLE-AUTH-CHALLENGED";
        ApiClient.Answer challenged = put(h, "https://c.example", null);
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.json().get("responseCode").asInt()).isEqualTo(402);
        String header = challenged.raw().headers().allValues("www-authenticate").stream()
                .filter(v -> v.startsWith("Handle")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("sessionId=\"([^\"]+)\", nonce=\"([^\"]+)\"").matcher(header);
        assertThat(m.find()).isTrue();
        Session s = new Session(m.group(1), Base64.getDecoder().decode(m.group(2)));
        SignatureAlgorithm a = SignatureAlgorithm.ECDSA_P256;
        ApiClient.Answer created = put(h, "https://c.example", proof(s, a, identity(a), KEYS.get(a).getPrivate()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.raw().headers().allValues("set-cookie"))
                .anyMatch(c -> c.startsWith(ApiSessions.COOKIE + "=" + s.id()) && c.contains("Secure")
                        && c.contains("HTTPOnly"));
        assertThat(udpData(h)).contains("1=URL:https://c.example");
    }

    @Test
    void aSecretKeyIdentityAuthenticatesWithAPbkdf2MacAndAWrongSecretDoesNot() throws Exception {
        for (String secret : List.of(SECRET, "not the secret")) {
            Session s = start();
            byte[] cnonce = new byte[16];
            byte[] salt = new byte[16];
            RANDOM.nextBytes(cnonce);
            RANDOM.nextBytes(salt);
            char[] chars = new char[secret.length()]; // the secret's bytes, one char each (§6.2)
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                chars[i] = (char) (bytes[i] & 0xFF);
            }
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(chars, salt, 10_000, 160)).getEncoded();
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] signature = mac.doFinal(concat(s.nonce(), cnonce));
            String header = "Handle version=\"0\", sessionId=\"" + s.id() + "\", id=\"300:" + SECRET_ID
                    + "\", type=\"HS_SECKEY\", alg=\"PBKDF2-HMAC-SHA1\", salt=\"" + Base64.getEncoder().encodeToString(salt)
                    + "\", iterations=\"10000\", length=\"160\", cnonce=\"" + Base64.getEncoder().encodeToString(cnonce)
                    + "\", signature=\"" + Base64.getEncoder().encodeToString(signature) + "\"";
            String h = PREFIX + "/HANDLE-AUTH-SECKEY";
            boolean right = secret.equals(SECRET);
            ApiClient.Answer a = put(h, right ? "https://s.example" : "https://wrong.example", header);
            assertThat(a.status()).as(a.body()).isEqualTo(right ? 201 : 401);
            assertThat(udpData(h)).contains("1=URL:https://s.example"); // the wrong secret changed nothing
        }
        ApiClient.Answer overPlain = plain.put("/api/handles/" + PREFIX + "/HANDLE-AUTH-PLAIN", "application/json",
                "[]", "Handle version=\"0\", sessionId=\"x\"");
        assertThat(overPlain.status()).isEqualTo(403);
        assertThat(overPlain.json().get("message").asText()).contains("HTTPS");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"HMAC-SHA256, HmacSHA256", "hmac_sha1, HmacSHA1"})
    void aSecretKeyIdentityAuthenticatesWithAnHmacOfTheSecretAndAWrongSecretDoesNot(String alg, String jca)
            throws Exception {
        String h = PREFIX + "/HANDLE-AUTH-" + jca.toUpperCase(java.util.Locale.ROOT);
        for (String secret : List.of("not the secret", SECRET)) {
            Session s = start();
            byte[] cnonce = new byte[16];
            RANDOM.nextBytes(cnonce);
            Mac mac = Mac.getInstance(jca); // keyed by the secret itself, over nonce ‖ cnonce (§8.1)
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jca));
            byte[] signature = mac.doFinal(concat(s.nonce(), cnonce));
            String header = "Handle version=\"0\", sessionId=\"" + s.id() + "\", id=\"300:" + SECRET_ID
                    + "\", type=\"HS_SECKEY\", alg=\"" + alg + "\", cnonce=\""
                    + Base64.getEncoder().encodeToString(cnonce) + "\", signature=\""
                    + Base64.getEncoder().encodeToString(signature) + "\"";
            boolean right = secret.equals(SECRET);
            ApiClient.Answer a = put(h, "https://" + (right ? "hmac" : "wrong") + ".example", header);
            assertThat(a.status()).as(a.body()).isEqualTo(right ? 201 : 401);
            if (!right) {
                assertThat(a.json().get("message").asText()).contains(SECRET_ID);
                assertThat(NODE.node().store().get(h)).as("the wrong secret wrote nothing").isNull();
            }
        }
        assertThat(udpData(h)).contains("1=URL:https://hmac.example");
    }

    @Test
    void anIdentityWithoutPermissionIsAuthenticatedButTheChainRefusesItsWrite() throws Exception {
        Session s = start();
        ApiClient.Answer proved = https.send(https.to("/api/sessions/this")
                .header("Authorization", proof(s, SignatureAlgorithm.RSA, NOBODY, nobodyKey.getPrivate()))
                .POST(BodyPublishers.noBody()));
        assertThat(proved.json().get("authenticated").asBoolean()).isTrue();
        String h = PREFIX + "/HANDLE-AUTH-NOT-ALLOWED";
        ApiClient.Answer refused = put(h, "https://n.example", only(s));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("responseCode").asInt()).isIn(400, 401);
        assertThat(NODE.node().store().get(h)).isNull();
    }

    @Test
    void ed25519KeysMakeNoChallengeAnswersSoTheyAreRefusedWithAMessage() throws Exception {
        Session s = start();
        SignatureAlgorithm a = SignatureAlgorithm.ED25519;
        String h = PREFIX + "/HANDLE-AUTH-ED25519";
        ApiClient.Answer refused = put(h, "https://e.example", proof(s, a, identity(a), KEYS.get(a).getPrivate()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("message").asText()).contains(identity(a));
        assertThat(NODE.node().store().get(h)).isNull();
    }

    @Test
    void sessionsFollowTheReferenceServersRules() throws Exception {
        ApiClient.Answer overPlain = plain.send(plain.to("/api/sessions").POST(BodyPublishers.noBody()));
        assertThat(overPlain.status()).isEqualTo(403);
        assertThat(https.send(https.to("/api/sessions/someone-else").GET()).status()).isEqualTo(403);
        assertThat(https.send(https.to("/api/sessions").GET()).status()).isEqualTo(405);
        ApiClient.Answer none = https.send(https.to("/api/sessions/this").GET());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("authenticated").asBoolean()).isFalse();

        Session s = start();
        SignatureAlgorithm a = SignatureAlgorithm.RSA;
        assertThat(https.send(https.to("/api/sessions/this").header("Authorization",
                proof(s, a, identity(a), KEYS.get(a).getPrivate())).PUT(BodyPublishers.noBody())).status())
                .isEqualTo(200);
        ApiClient.Answer ended = https.send(https.to("/api/sessions/this").header("Authorization", only(s)).DELETE());
        assertThat(ended.status()).isEqualTo(204);
        ApiClient.Answer gone = put(PREFIX + "/HANDLE-AUTH-GONE", "https://g.example", only(s));
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.json().get("message").asText()).contains("unknown or expired");
        assertThat(gone.raw().headers().allValues("www-authenticate")).anyMatch(v -> v.startsWith("Handle")
                && !v.contains(s.id()));
        assertThat(NODE.node().store().get(PREFIX + "/HANDLE-AUTH-GONE")).isNull();

        ApiClient.Answer script = https.send(https.to("/api/handles/" + PREFIX + "/X").header("Authorization",
                only(s)).header("X-Requested-With", "XMLHttpRequest").GET());
        assertThat(script.status()).isEqualTo(401);
        assertThat(script.raw().headers().allValues("www-authenticate")).noneMatch(v -> v.startsWith("Basic"));
        ApiClient.Answer unreadable = https.send(https.to("/api/sessions/this").header("Authorization",
                "Handle sessionId=\"" + s.id() + "\", id=\"not-an-id\"").GET());
        assertThat(unreadable.status()).isEqualTo(401);
        assertThat(unreadable.json().get("error").asText()).contains("INDEX:HANDLE");
    }

    @Test
    void theNodeProvesItselfOverTheClientsNonce() throws Exception {
        Session s = start();
        byte[] cnonce = "client nonce 123".getBytes(StandardCharsets.US_ASCII);
        ApiClient.Answer proved = https.send(https.to("/api/sessions/this").header("Authorization", only(s)
                + ", cnonce=\"" + Base64.getEncoder().encodeToString(cnonce) + "\"").GET());
        assertThat(proved.status()).isEqualTo(200);
        assertThat(proved.json().get("serverAlg").asText()).isEqualTo("SHA-256");
        String serverSignature = proved.json().get("serverSignature").asText();
        assertThat(verifiesByNode(concat(s.nonce(), cnonce), serverSignature)).isTrue();
        assertThat(verifiesByNode(concat(s.nonce(), "another".getBytes(StandardCharsets.US_ASCII)), serverSignature))
                .isFalse();
        assertThat(proved.raw().headers().firstValue("authentication-info")).hasValueSatisfying(v ->
                assertThat(v).contains("serverSignature=\"" + serverSignature + "\""));

        ApiClient.Answer overHttp = plain.get("/api/verifications?cnonce="
                + Base64.getUrlEncoder().encodeToString(cnonce));
        assertThat(overHttp.status()).isEqualTo(200);
        byte[] nonce = Base64.getDecoder().decode(overHttp.json().get("nonce").asText());
        assertThat(nonce).hasSize(16);
        assertThat(verifiesByNode(concat(nonce, cnonce), overHttp.json().get("serverSignature").asText())).isTrue();
        assertThat(plain.get("/api/verifications?cnonce=AAAA&nonce=AAAA").status()).isEqualTo(400);
    }

    private static boolean verifiesByNode(byte[] data, String signature) throws Exception {
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(NODE.node().keys().node().getPublic());
        v.update(data);
        return v.verify(Base64.getDecoder().decode(signature));
    }

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"RSA", "DSA", "ECDSA_P256", "SM2"})
    void verificationsOverHttpDecideAsVerifyChallengeOverTcp(SignatureAlgorithm a) throws Exception {
        byte[] nonce = new byte[16];
        byte[] cnonce = new byte[24];
        RANDOM.nextBytes(nonce);
        RANDOM.nextBytes(cnonce);
        byte[] good = sign(a, KEYS.get(a).getPrivate(), identity(a), concat(nonce, cnonce));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        for (byte[] signature : List.of(good, bad)) {
            ApiClient.Answer http = plain.get("/api/verifications?id=" + enc("300:" + identity(a))
                    + "&type=HS_PUBKEY&alg=" + alg(a) + "&nonce=" + enc(Base64.getEncoder().encodeToString(nonce))
                    + "&cnonce=" + enc(Base64.getEncoder().encodeToString(cnonce))
                    + "&signature=" + enc(Base64.getEncoder().encodeToString(signature)));
            assertThat(http.status()).as(http.body()).isEqualTo(200);
            assertThat(http.json().get("id").asText()).isEqualTo("300:" + identity(a));

            Message question = Requests.madeAt(Instant.now()).withRequestId(RANDOM.nextInt(1 << 30) + 1)
                    .verifyChallenge(new ValueReference(identity(a), 300), nonce, new RequestDigest(0, cnonce),
                            answer(alg(a).equals("SM3") ? "SM3" : "SHA-256", signature));
            Message tcp = overTcp(question);
            assertThat(tcp.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            boolean valid = ((VerifyChallengeResponse) tcp.body()).valid();
            assertThat(http.json().get("valid").asBoolean()).isEqualTo(valid).isEqualTo(signature == good);
        }
    }

    @Test
    void verificationsOfIdentitiesKeptElsewhereOrWithoutTheirPartsAreRefusedWithAMessage() throws Exception {
        ApiClient.Answer elsewhere = plain.get("/api/verifications?id=300:99.999/SOMEONE&nonce=AAAA&cnonce=AAAA"
                + "&alg=SHA256&signature=AAAA");
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.json().get("responseCode").asInt()).isEqualTo(301);
        assertThat(elsewhere.json().get("message").asText()).contains("99.999/SOMEONE");
        ApiClient.Answer partial = plain.get("/api/verifications?id=300:" + identity(SignatureAlgorithm.RSA));
        assertThat(partial.status()).isEqualTo(400);
        assertThat(partial.json().get("message").asText()).contains("nonce");
        assertThat(plain.send(plain.to("/api/verifications").DELETE()).status()).isEqualTo(405);
    }

    /** {@code request} over a TCP connection of its own, and the one reply frame read back. */
    private static Message overTcp(Message request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), NODE.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(MessageCodec.DEFAULT.encode(request));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] envelope = new byte[EnvelopeLayout.LENGTH];
            in.readFully(envelope);
            byte[] frame = Arrays.copyOf(envelope,
                    EnvelopeLayout.LENGTH + ByteBuffer.wrap(envelope).getInt(EnvelopeLayout.MESSAGE_LENGTH));
            in.readFully(frame, EnvelopeLayout.LENGTH, frame.length - EnvelopeLayout.LENGTH);
            return MessageCodec.DEFAULT.decode(frame);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A native challenge answer's signed response (§6.2): the hash id, then the signature. */
    private static byte[] answer(String hashId, byte[] signature) {
        ByteBuf out = Unpooled.buffer();
        try {
            WireWriter.str(out, hashId);
            WireWriter.bytes(out, signature);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
