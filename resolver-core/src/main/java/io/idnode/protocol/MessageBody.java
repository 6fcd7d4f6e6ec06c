package io.idnode.protocol;

import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueList;
import java.util.List;

/**
 * The body of a message, one record per layout of handle-protocol.md §3.1/§4/§6 (RFC 3652 §3). Which
 * layout a message has follows from its opCode and responseCode; the RD block of a response is carried by
 * {@link Message#requestDigest()}, not by the body.
 */
public sealed interface MessageBody {

    /** Resolution request (§4.1); {@code authString} is the trailing field of the Chinese SDK, or null. */
    record ResolutionRequest(String handle, int[] indexes, List<String> types, byte[] authString)
            implements MessageBody {
        public ResolutionRequest {
            indexes = indexes == null ? new int[0] : indexes;
            types = types == null ? List.of() : List.copyOf(types);
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
    }

    /** Challenge answer (opCode 200, §6.2). */
    record ChallengeAnswer(String authType, String identityHandle, int identityIndex, byte[] signedResponse)
            implements MessageBody {
    }

    /**
     * VERIFY_CHALLENGE request (opCode 201, §6.4). {@code digest} holds the request digest; its hash type 0
     * means the length-prefixed form the library writes.
     */
    record VerifyChallengeRequest(String identityHandle, int identityIndex, byte[] nonce, RequestDigest digest,
            byte[] signedResponse) implements MessageBody {
    }

    /** VERIFY_CHALLENGE response: whether the answer was valid. */
    record VerifyChallengeResponse(boolean valid) implements MessageBody {
    }

    /**
     * SESSION_SETUP request (opCode 400, §6.5). By mode: 1 and 4 carry {@code exchangeKey}; 3 carries
     * {@code keyHandle}/{@code keyIndex}; 2 carries nothing.
     */
    record SessionSetupRequest(int keyExchangeMode, int timeout, String identityHandle, int identityIndex,
            byte[] exchangeKey, String keyHandle, int keyIndex) implements MessageBody {
        public static final int MODE_CLIENT_CIPHER = 1;
        public static final int MODE_SERVER_CIPHER = 2;
        public static final int MODE_KEY_IN_HANDLE = 3;
        public static final int MODE_DIFFIE_HELLMAN = 4;
    }

    /** SESSION_SETUP response: mode and mode-specific data. */
    record SessionSetupResponse(int keyExchangeMode, byte[] data) implements MessageBody {
    }

    /** SESSION_EXCHANGEKEY request (opCode 402): the encrypted session key. */
    record SessionExchangeKey(byte[] encryptedSessionKey) implements MessageBody {
    }

    /**
     * A body this codec does not interpret (unknown opcodes, encrypted messages, replication operations):
     * the raw bytes, so that the message can still be answered (e.g. with "not supported").
     */
    record OpaqueBody(byte[] bytes) implements MessageBody {
    }
}
