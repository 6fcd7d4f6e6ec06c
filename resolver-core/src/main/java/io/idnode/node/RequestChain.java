package io.idnode.node;

import io.idnode.admin.AdminOperations;
import io.idnode.admin.AdministrationLink;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.handler.AnswerVerifier;
import io.idnode.handler.AuditLog;
import io.idnode.handler.Authorizer;
import io.idnode.handler.ChallengeGate;
import io.idnode.handler.Challenges;
import io.idnode.handler.Delegations;
import io.idnode.handler.IdentityHomes;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplyCollector;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.ResolutionLink;
import io.idnode.handler.ShardLink;
import io.idnode.handler.SiteInfoLink;
import io.idnode.handler.StoreFaultLink;
import io.idnode.handler.UnsupportedLink;
import io.idnode.handler.ValidationLink;
import io.idnode.handler.VerifyChallengeLink;
import io.idnode.handler.session.ConnectionKeyLink;
import io.idnode.handler.session.LoginLink;
import io.idnode.handler.session.SessionLink;
import io.idnode.handler.session.SessionSettings;
import io.idnode.handler.session.SessionTable;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordSource;
import io.idnode.sign.policy.SignaturePolicy;
import io.idnode.sign.policy.SignaturePolicyLink;
import io.idnode.sign.policy.StoreRecordSource;
import io.idnode.store.RecordStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The node's request chain, assembled in one place ({@link Builder#build}, where the order of the links is
 * declared) and used by the server, the benchmarks and the tests: decoded requests in, reply messages out to
 * a {@link ReplySink}. The edges (the UDP and TCP transports, an HTTP front end, {@link #answer}) encode or
 * collect the replies; a fault of any link reaches the sink's {@link ReplySink#fault}. Which requests may
 * block is declared by each link and combined here ahead of time, one entry per operation, so that asking
 * costs an array read. Thread-safe.
 */
public final class RequestChain implements RequestHandler {
    /** Operation codes answered from the table of blocking links; the rare others ask the links each time. */
    private static final int TABLE_SIZE = 512;

    private final RequestHandler head;
    private final List<RequestHandler> links;
    private final boolean[] blocking = new boolean[TABLE_SIZE];
    private final boolean blockingEncrypted;
    private final Replies replies;
    private final ReplyEncoder encoder;
    private final SessionTable sessions;
    private final AnswerVerifier verifier;

    private RequestChain(List<RequestHandler> links, Replies replies, ReplyEncoder encoder, SessionTable sessions,
            AnswerVerifier verifier) {
        this.head = links.get(0);
        this.links = List.copyOf(links);
        this.replies = replies;
        this.encoder = encoder;
        this.sessions = sessions;
        this.verifier = verifier;
        for (int code = 0; code < TABLE_SIZE; code++) {
            blocking[code] = asked(OpCode.valueOf(code));
        }
        this.blockingEncrypted = asked(null);
    }

    /**
     * A chain for the node {@code identity} serving {@code prefixes} from {@code store}, doing its cryptography
     * with {@code providers}; the rest has defaults.
     */
    public static Builder builder(RecordStore store, ServedPrefixes prefixes, NodeIdentity identity,
            CryptoProviders providers) {
        return new Builder(store, prefixes, identity, providers);
    }

    /**
     * Answers {@code request} through the chain, handing each reply to {@code out}. Never throws: an exception
     * of a link is handed to {@link ReplySink#fault}, except a store failure, which the chain answers with 2.
     */
    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        try {
            head.handle(request, context, out);
        } catch (RuntimeException e) {
            out.fault(request, e);
        }
    }

    /** True if some link may block while answering a request with operation {@code op} (null: encrypted). */
    @Override
    public boolean mayBlock(OpCode op) {
        if (op == null) {
            return blockingEncrypted;
        }
        int code = op.code();
        return code >= 0 && code < TABLE_SIZE ? blocking[code] : asked(op);
    }

    /** True if answering {@code request} may block: transports then answer it off their I/O threads. */
    public boolean mayBlock(Message request) {
        MessageHeader h = request.header();
        return mayBlock(h == null ? null : h.opCode());
    }

    /**
     * The replies to a message, as messages: the entry point for callers without envelope bytes (an HTTP
     * front end, the SDK's tests, a node asking itself). The message needs an envelope record and a header,
     * not its encoding; a challenge digests its encoding. Runs on the calling thread (ask
     * {@link #mayBlock(Message)} first on an I/O thread); the future fails with the fault if a link fails.
     */
    public CompletableFuture<List<Message>> answer(Message request) {
        return answer(request, RequestContext.NONE);
    }

    /** As {@link #answer(Message)}, for a sender already known to {@code context}. */
    public CompletableFuture<List<Message>> answer(Message request, RequestContext context) {
        Objects.requireNonNull(request.envelope(), "a request needs an envelope");
        ReplyCollector replies = new ReplyCollector();
        handle(request, context, replies);
        return replies.replies();
    }

    /** The node's reply factory, for the edges' own replies (busy, protocol error, fault). */
    public Replies replies() {
        return replies;
    }

    /** The encoder the edges encode each reply with, once. */
    public ReplyEncoder encoder() {
        return encoder;
    }

    /** The node's session table. */
    public SessionTable sessions() {
        return sessions;
    }

    /**
     * What judges a challenge answer for the challenge gate and the login (§6.3): the identity's keys kept here,
     * or its home node asked (§6.4). For edges that receive a proof in another form (HTTP's
     * {@code Authorization: Handle}, §8.1); it may block.
     */
    public AnswerVerifier answerVerifier() {
        return verifier;
    }

    private boolean asked(OpCode op) {
        for (RequestHandler link : links) {
            if (link.mayBlock(op)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the chain is built from. Required: the store, the served prefixes, the node's identity and the crypto
     * providers its session, challenge and signing links share; every
     * other part has a default, named at its setter. Not thread-safe; build once.
     */
    public static final class Builder {
        private final RecordStore store;
        private final ServedPrefixes prefixes;
        private final NodeIdentity identity;
        private final CryptoProviders providers;
        private Clock clock = Clock.systemUTC();
        private List<ValueReference> nodeAdmins = List.of();
        private PendingChallenges pendingChallenges;
        private SessionSettings sessionSettings = SessionSettings.DEFAULT;
        private AuditLog auditLog = AuditLog.NONE;
        private SecureRandom random;
        private MessageSigner signer;
        private IdentityHomes identityHomes = IdentityHomes.NONE;
        private UnaryOperator<RequestHandler> interposed = UnaryOperator.identity();
        private UnaryOperator<RequestHandler> recursion = UnaryOperator.identity();
        private SignaturePolicy signaturePolicy = SignaturePolicy.NONE;
        private RecordSource certificates;
        private int shard = -1;

        private Builder(RecordStore store, ServedPrefixes prefixes, NodeIdentity identity,
                CryptoProviders providers) {
            this.store = Objects.requireNonNull(store, "store");
            this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
            this.identity = Objects.requireNonNull(identity, "identity");
            this.providers = Objects.requireNonNull(providers, "providers");
        }

        /** The clock of reply expirations, value timestamps and session expiry (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Identities that may do everything on this node (default: none); index 0 names any index. */
        public Builder nodeAdmins(List<ValueReference> nodeAdmins) {
            this.nodeAdmins = List.copyOf(Objects.requireNonNull(nodeAdmins, "nodeAdmins"));
            return this;
        }

        /** Where challenged requests wait for their answer (default: 20 s in real time). */
        public Builder pendingChallenges(PendingChallenges pendingChallenges) {
            this.pendingChallenges = Objects.requireNonNull(pendingChallenges, "pendingChallenges");
            return this;
        }

        /** Limits of the session table (default: {@link SessionSettings#DEFAULT}). */
        public Builder sessionSettings(SessionSettings sessionSettings) {
            this.sessionSettings = Objects.requireNonNull(sessionSettings, "sessionSettings");
            return this;
        }

        /** Where administrative outcomes are recorded (default: discarded). */
        public Builder auditLog(AuditLog auditLog) {
            this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
            return this;
        }

        /** The random source of session ids and key agreement (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The signer of certified replies (default: one with the identity's signing key). */
        public Builder signer(MessageSigner signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /**
         * Prefixes whose records must carry a valid signature, checked at write time (default: none, and then
         * no link is added); certificates of their chains are read from {@code certificates}, or from this
         * node's store when it is null.
         */
        public Builder signaturePolicy(SignaturePolicy policy, RecordSource certificates) {
            this.signaturePolicy = Objects.requireNonNull(policy, "policy");
            this.certificates = certificates;
            return this;
        }

        /**
         * Where identities kept on other nodes are checked (VERIFY_CHALLENGE, handle-protocol.md §6.4; default:
         * {@link IdentityHomes#NONE}, they are refused with 406).
         */
        public Builder identityHomes(IdentityHomes identityHomes) {
            this.identityHomes = Objects.requireNonNull(identityHomes, "identityHomes");
            return this;
        }

        /**
         * A link put in front of the login and challenge gate, given the rest of the chain as its next link: a seam for
         * tests (a link that records, stubs or fails). The node's own links are declared in {@link #build}.
         */
        public Builder interpose(UnaryOperator<RequestHandler> link) {
            this.interposed = Objects.requireNonNull(link, "link");
            return this;
        }

        /**
         * The recursion of a recursive node (default: none): a link between the login and the challenge gate,
         * given the gate as its next link, which answers resolutions of handles this node does not hold by
         * asking other nodes and passes every other request on.
         */
        public Builder recursion(UnaryOperator<RequestHandler> link) {
            this.recursion = Objects.requireNonNull(link, "link");
            return this;
        }

        /**
         * Makes the node the server at {@code position} (0-based) of its multi-server site (handle-protocol.md
         * §7.2; default: none, a site of one server, and then no link is added): requests for handles the site's
         * hash gives to another server are answered 301 ({@link ShardLink}).
         */
        public Builder shard(int position) {
            if (position < 0) {
                throw new IllegalArgumentException("a server position is 0 or more, got " + position);
            }
            this.shard = position;
            return this;
        }

        /**
         * The chain. Its order, declared here once, first link first: sessions, header validation, store
         * faults, [the refusal of other servers' handles, in a multi-server site], [an interposed link], [the
         * signature policy, when a prefix requires signed records], the
         * session key of an encrypted TCP connection (SESSION_SETUP mode 3, cn-extensions.md §4), the LOGIN
         * of a TCP connection (cn-extensions.md §3), [the recursion of a recursive node], the challenge gate,
         * resolution (with the referrals of a parent), site info, VERIFY_CHALLENGE for the identities kept here,
         * administration, and "not supported"
         * for whatever is left. The links are built from the last, each knowing its next.
         */
        public RequestChain build() {
            SecureRandom rnd = random != null ? random : new SecureRandom();
            PendingChallenges pending = pendingChallenges != null ? pendingChallenges : new PendingChallenges();
            Replies replies = new Replies(identity, clock);
            Authorizer authorizer = new Authorizer(store::get, nodeAdmins);
            Challenges challenges = new Challenges(pending, replies);
            SessionTable sessions = new SessionTable(sessionSettings, clock, rnd);

            UnsupportedLink unsupported = new UnsupportedLink(replies);
            Delegations delegations = new Delegations(store, prefixes, replies);
            AdminOperations operations = new AdminOperations(store, prefixes, authorizer, clock,
                    delegations::recordsChanged);
            AdministrationLink administration = new AdministrationLink(operations, challenges, replies, auditLog,
                    unsupported);
            AnswerVerifier verifier = new AnswerVerifier(store, prefixes, providers, identityHomes);
            VerifyChallengeLink verification = new VerifyChallengeLink(verifier, prefixes, replies, administration);
            SiteInfoLink siteInfo = new SiteInfoLink(replies, verification);
            ResolutionLink resolution = new ResolutionLink(store, prefixes, authorizer, challenges, replies,
                    delegations, siteInfo);
            ChallengeGate gate = new ChallengeGate(pending, verifier, List.of(resolution, administration), replies,
                    auditLog, resolution);
            RequestHandler recursive = Objects.requireNonNull(recursion.apply(gate), "recursion link");
            LoginLink login = new LoginLink(verifier, replies, auditLog, rnd, System::nanoTime,
                    PendingChallenges.DEFAULT_LIFETIME, recursive);
            ConnectionKeyLink connectionKeys = new ConnectionKeyLink(store, prefixes, replies, rnd, providers, login);
            RequestHandler policed = signaturePolicy.isEmpty() ? connectionKeys : new SignaturePolicyLink(signaturePolicy,
                    store, certificates != null ? certificates : new StoreRecordSource(store), new JwsEngine(providers),
                    clock, replies, connectionKeys);
            RequestHandler interposedLink = Objects.requireNonNull(interposed.apply(policed), "interposed link");
            RequestHandler sharded = shard < 0 ? interposedLink : new ShardLink(shard, replies, interposedLink);
            StoreFaultLink storeFaults = new StoreFaultLink(replies, sharded);
            ValidationLink validation = new ValidationLink(replies, storeFaults);
            SessionLink sessionLink = new SessionLink(sessions, replies, rnd, validation, providers);

            List<RequestHandler> order = new ArrayList<>(List.of(sessionLink, validation, storeFaults));
            if (sharded != interposedLink) {
                order.add(sharded);
            }
            if (interposedLink != policed) {
                order.add(interposedLink);
            }
            if (policed != connectionKeys) {
                order.add(policed);
            }
            order.addAll(List.of(connectionKeys, login));
            if (recursive != gate) {
                order.add(recursive);
            }
            order.addAll(List.of(gate, resolution, siteInfo, verification, administration, unsupported));
            MessageSigner replySigner = signer != null ? signer : new MessageSigner(identity.signingKey(), providers);
            return new RequestChain(List.copyOf(order), replies, new ReplyEncoder(MessageCodec.DEFAULT, replySigner, providers),
                    sessions, verifier);
        }
    }
}
