package io.idnode.protocol;

import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The body of a message, one record per layout of handle-protocol.md §3.1/§4/§6 (RFC 3652 §3). Which
 * layout a message has follows from its opCode and responseCode; the RD block of a response is carried by
 * {@link Message#requestDigest()}, not by the body. Immutable: the byte fields a server reads on every request
 * are {@link Bytes} (views of the frame, never copied); the other arrays are copied in and out, and every
 * record compares them by content.
 */
public sealed interface MessageBody {

    /**
     * Resolution request (§4.1): no index and no type means every value. {@code authString} is the trailing
     * field of the Chinese SDK, or null.
     */
    record ResolutionRequest(String handle, int[] indexes, List<String> types, Bytes authString)
            implements MessageBody {
        private static final int[] NO_INDEXES = new int[0];

        public ResolutionRequest {
            indexes = indexes == null || indexes.length == 0 ? NO_INDEXES : indexes.clone();
            types = types == null ? List.of() : List.copyOf(types);
        }

        /** A copy of the requested indexes; no copy when there are none, the usual case. */
        @Override
        public int[] indexes() {
            return indexes.length == 0 ? indexes : indexes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ResolutionRequest r && Objects.equals(handle, r.handle)
                    && Arrays.equals(indexes, r.indexes) && types.equals(r.types)
                    && Objects.equals(authString, r.authString);
        }

        @Override
        public int hashCode() {
            return Objects.hash(handle, Arrays.hashCode(indexes), types, authString);
        }

        @Override
        public String toString() {
            return "ResolutionRequest[handle=" + handle + ", indexes=" + Arrays.toString(indexes) + ", types=" + types
                    + ", authString=" + authString + "]";
        }
    }

    /** Resolution response (§4.2): the handle as requested and the values. */
    record ResolutionResponse(String handle, List<HandleValue> values) implements MessageBody {
        public ResolutionResponse {
            // A record's own value list is immutable already and carries its encoding: kept, not copied.
            values = values instanceof ValueList ? values : List.copyOf(values);
        }
    }

    /**
     * A request whose body is a single handle: GET_SITE_INFO, DELETE_HANDLE, LIST_HANDLES, HOME/UNHOME,
     * LIST_HOMED_PREFIXES, SESSION_TERMINATE, GET_NEXT_TXN_ID, BACKUP_SERVER.
     */
    record HandleRequest(String handle) implements MessageBody {
    }

    /** CREATE_HANDLE, ADD_VALUE and MODIFY_VALUE requests (§4.4). */
    record ValuesRequest(String handle, List<HandleValue> values) implements MessageBody {
        public ValuesRequest {
            values = List.copyOf(values);
        }
    }

    /** REMOVE_VALUE request: handle and indexes. */
    record RemoveValuesRequest(String handle, int[] indexes) implements MessageBody {
        public RemoveValuesRequest {
            indexes = indexes.clone();
        }

        /** A copy of the indexes. */
        @Override
        public int[] indexes() {
            return indexes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RemoveValuesRequest r && Objects.equals(handle, r.handle)
                    && Arrays.equals(indexes, r.indexes);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(handle) + Arrays.hashCode(indexes);
        }

        @Override
        public String toString() {
            return "RemoveValuesRequest[handle=" + handle + ", indexes=" + Arrays.toString(indexes) + "]";
        }
    }

    /** LOGIN (2001) of the Chinese industrial SDK: identity handle and index (cn-extensions.md §3). */
    record LoginRequest(String identityHandle, int identityIndex) implements MessageBody {
    }

    /** GET_SITE_INFO response: the raw HS_SITE record. */
    record SiteInfoResponse(SiteInfo siteInfo) implements MessageBody {
    }

    /** CREATE_HANDLE success: the created (possibly minted) handle, or null when the body is empty. */
    record CreateHandleResponse(String handle) implements MessageBody {
    }

    /** A success with an empty body (delete, add, modify, remove, home, unhome, terminate, login). */
    record EmptyBody() implements MessageBody {
        /** The one empty body. */
        public static final EmptyBody INSTANCE = new EmptyBody();
    }

    /** LIST_HANDLES and LIST_HOMED_PREFIXES response: a list of handles. */
    record HandleListResponse(List<String> handles) implements MessageBody {
        public HandleListResponse {
            handles = List.copyOf(handles);
        }
    }

    /** Error response (every code with an error body, §3.2): a UTF-8 message, possibly empty. */
    record ErrorResponse(String message) implements MessageBody {
    }

    /**
     * Service (302) or prefix (303) referral (§4.3): the referral handle and, optionally, values ({@code null}
     * when the list is absent from the body).
     */
    record ReferralResponse(String referralHandle, List<HandleValue> values) implements MessageBody {
        public ReferralResponse {
            values = values == null ? null : List.copyOf(values);
        }
    }

    /** The challenge (rc 402, §6.1): the nonce; the request digest is in the message's RD block. */
    record Challenge(byte[] nonce) implements MessageBody {
        public Challenge {
            nonce = nonce.clone();
        }

        /** A copy of the nonce. */
        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c && Arrays.equals(nonce, c.nonce);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nonce);
        }

        @Override
        public String toString() {
            return "Challenge[nonce=" + Bytes.wrap(nonce) + "]";
        }
    }

    /** Challenge answer (opCode 200, §6.2). */
    record ChallengeAnswer(String authType, String identityHandle, int identityIndex, byte[] signedResponse)
            implements MessageBody {
        public ChallengeAnswer {
            signedResponse = signedResponse.clone();
        }

        /** A copy of the signed response. */
        @Override
        public byte[] signedResponse() {
            return signedResponse.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChallengeAnswer a && Objects.equals(authType, a.authType)
                    && Objects.equals(identityHandle, a.identityHandle) && identityIndex == a.identityIndex
                    && Arrays.equals(signedResponse, a.signedResponse);
        }

        @Override
        public int hashCode() {
            return Objects.hash(authType, identityHandle, identityIndex, Arrays.hashCode(signedResponse));
        }

        @Override
        public String toString() {
            return "ChallengeAnswer[authType=" + authType + ", identity=" + identityIndex + ":" + identityHandle
                    + ", signedResponse=" + Bytes.wrap(signedResponse) + "]";
        }
    }

    /**
     * VERIFY_CHALLENGE request (opCode 201, §6.4). {@code digest} holds the request digest; its hash type 0
     * means the length-prefixed form the library writes.
     */
    record VerifyChallengeRequest(String identityHandle, int identityIndex, byte[] nonce, RequestDigest digest,
            byte[] signedResponse) implements MessageBody {
        public VerifyChallengeRequest {
            nonce = nonce.clone();
            signedResponse = signedResponse.clone();
        }

        /** A copy of the nonce. */
        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        /** A copy of the signed response. */
        @Override
        public byte[] signedResponse() {
            return signedResponse.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VerifyChallengeRequest r && Objects.equals(identityHandle, r.identityHandle)
                    && identityIndex == r.identityIndex && Arrays.equals(nonce, r.nonce)
                    && Objects.equals(digest, r.digest) && Arrays.equals(signedResponse, r.signedResponse);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identityHandle, identityIndex, Arrays.hashCode(nonce), digest,
                    Arrays.hashCode(signedResponse));
        }

        @Override
        public String toString() {
            return "VerifyChallengeRequest[identity=" + identityIndex + ":" + identityHandle + ", nonce="
                    + Bytes.wrap(nonce) + ", digest=" + digest + ", signedResponse=" + Bytes.wrap(signedResponse) + "]";
        }
    }

    /** VERIFY_CHALLENGE response: whether the answer was valid. */
    record VerifyChallengeResponse(boolean valid) implements MessageBody {
    }

    /**
     * SESSION_SETUP request (opCode 400, §6.5). By mode: 1 and 4 carry {@code exchangeKey}; 3 carries
     * {@code keyHandle}/{@code keyIndex}; 2 carries nothing (null key).
     */
    record SessionSetupRequest(int keyExchangeMode, int timeout, String identityHandle, int identityIndex,
            byte[] exchangeKey, String keyHandle, int keyIndex) implements MessageBody {
        /** The client sends a session key encrypted with the server's public key (§6.5). */
        public static final int MODE_CLIENT_CIPHER = 1;
        /** The server sends a session key encrypted with the client's public key (§6.5). */
        public static final int MODE_SERVER_CIPHER = 2;
        /** The session key is in a handle value named by keyHandle and keyIndex (§6.5). */
        public static final int MODE_KEY_IN_HANDLE = 3;
        /** Diffie-Hellman key agreement, the one stock clients use (§6.5). */
        public static final int MODE_DIFFIE_HELLMAN = 4;

        public SessionSetupRequest {
            exchangeKey = exchangeKey == null ? null : exchangeKey.clone();
        }

        /** A copy of the exchange key, or null if the mode carries none. */
        @Override
        public byte[] exchangeKey() {
            return exchangeKey == null ? null : exchangeKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionSetupRequest r && keyExchangeMode == r.keyExchangeMode && timeout == r.timeout
                    && Objects.equals(identityHandle, r.identityHandle) && identityIndex == r.identityIndex
                    && Arrays.equals(exchangeKey, r.exchangeKey) && Objects.equals(keyHandle, r.keyHandle)
                    && keyIndex == r.keyIndex;
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyExchangeMode, timeout, identityHandle, identityIndex, Arrays.hashCode(exchangeKey),
                    keyHandle, keyIndex);
        }

        @Override
        public String toString() {
            return "SessionSetupRequest[mode=" + keyExchangeMode + ", timeout=" + timeout + ", identity="
                    + identityIndex + ":" + identityHandle + ", exchangeKey="
                    + (exchangeKey == null ? null : Bytes.wrap(exchangeKey)) + ", key=" + keyIndex + ":" + keyHandle
                    + "]";
        }
    }

    /** SESSION_SETUP response: mode and mode-specific data. */
    record SessionSetupResponse(int keyExchangeMode, byte[] data) implements MessageBody {
        public SessionSetupResponse {
            data = data.clone();
        }

        /** A copy of the data. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionSetupResponse r && keyExchangeMode == r.keyExchangeMode
                    && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return 31 * keyExchangeMode + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SessionSetupResponse[mode=" + keyExchangeMode + ", data=" + Bytes.wrap(data) + "]";
        }
    }

    /** SESSION_EXCHANGEKEY request (opCode 402): the encrypted session key. */
    record SessionExchangeKey(byte[] encryptedSessionKey) implements MessageBody {
        public SessionExchangeKey {
            encryptedSessionKey = encryptedSessionKey.clone();
        }

        /** A copy of the encrypted session key. */
        @Override
        public byte[] encryptedSessionKey() {
            return encryptedSessionKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionExchangeKey k && Arrays.equals(encryptedSessionKey, k.encryptedSessionKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encryptedSessionKey);
        }

        @Override
        public String toString() {
            return "SessionExchangeKey[encryptedSessionKey=" + Bytes.wrap(encryptedSessionKey) + "]";
        }
    }

    /**
     * A body this codec does not interpret (unknown opcodes, encrypted messages, replication operations):
     * the raw bytes, so that the message can still be answered (e.g. with "not supported").
     */
    record OpaqueBody(Bytes bytes) implements MessageBody {
        public OpaqueBody {
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
