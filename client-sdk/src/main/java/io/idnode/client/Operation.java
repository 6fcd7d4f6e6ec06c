package io.idnode.client;

import io.idnode.crypto.auth.RequestDigests;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.model.ValueTypes;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One operation of the client, from request to result, within its deadline
 * ({@link ClientSettings#operationTimeout()}): the servers that can answer it are asked in turn (§7: the
 * handle's site and server, then the others); a server that cannot be reached, closes the connection or sends
 * no reply in time is recorded and the next one tried; when all have failed, all are tried again after a
 * growing wait ({@link ClientSettings#retryBackoff()}). On a server, an authenticated operation goes through a
 * session with it, that of the least busy connection ({@link Sessions}; set up again when the server has
 * forgotten it), or else answers the server's challenge itself (§6). A request that may have reached a server
 * is only sent again where that is safe: the subclasses say what they send and what the final reply means,
 * including how a repeated write is recognised as done. Runs on the event loops; the result completes there.
 */
abstract class Operation<T> {
    private static final int SESSION_RETRIES = 3;

    final Engine engine;
    /** What the operation is, for messages: "create of 88.100.1/X". */
    final String what;
    /** The handle whose servers answer it, or null for the configured nodes. */
    final String handle;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /** Where the result completes: null on the event loop, else the caller's executor. */
    private java.util.concurrent.Executor completion;
    private boolean counted;
    private final Map<InetSocketAddress, ServerFailure> failures = new LinkedHashMap<>();
    private volatile boolean mayHaveApplied;
    private volatile boolean lookupTimedOut;
    private long deadline;
    private long backoff;

    Operation(Engine engine, String what, String handle) {
        this.engine = engine;
        this.what = what;
        this.handle = handle;
    }

    // ---------------------------------------------------------------- what a kind of operation says

    /** The request, built on {@code base} (time, version, serial, flags, session already set). */
    abstract Message request(Requests base);

    /** The result of a final reply (no challenge, no session refusal) from {@code ep}; may complete later. */
    abstract CompletableFuture<T> answer(Message reply, Endpoint ep);

    /** Administration: primary sites, admin interfaces, TCP, authenticated. */
    boolean admin() {
        return false;
    }

    /** Only primary sites answer (AT, §2.2); administration always goes to them. */
    boolean primaryOnly() {
        return false;
    }

    /** Sent as the identity, in a session when sessions are on. */
    boolean authenticated() {
        return admin();
    }

    /** UDP first, then TCP (§1.3). */
    boolean viaUdp() {
        return false;
    }

    /** The flags of the request (§2.2). */
    int flags() {
        return Requests.DEFAULT_FLAGS;
    }

    /** Whether a session request is encrypted (§6.6). */
    boolean encrypt() {
        return false;
    }

    /** Whether the request may be sent again after it may have reached a server. */
    boolean retryAfterSend() {
        return true;
    }

    /** Where continued replies go (CN, §1.4), or null. */
    Consumer<Message> pages() {
        return null;
    }

    /**
     * Whether one pass over the servers is all: a lookup made for another operation, which itself tries again
     * (so that its deadline reports what the servers did, not a lookup still waiting).
     */
    boolean singleRound() {
        return false;
    }

    /** The servers to ask instead of those of the handle, or null. */
    List<Endpoint> endpoints() {
        return null;
    }

    /** Whether an earlier send of this request may have been carried out (its reply was lost). */
    final boolean mayHaveApplied() {
        return mayHaveApplied;
    }

    // ---------------------------------------------------------------- the flow

    /**
     * Starts the operation, counted against {@link ClientSettings#maxInFlight()}; its result completes on
     * {@code completeOn} (never on an event loop).
     *
     * @throws java.util.concurrent.RejectedExecutionException past the limit
     */
    final CompletableFuture<T> start(java.util.concurrent.Executor completeOn) {
        engine.admit();
        counted = true;
        completion = completeOn;
        return begin(System.nanoTime() + Call.nanos(engine.settings.operationTimeout()));
    }

    /** Starts an operation another one needs in order to finish, within that one's deadline (not counted again). */
    final CompletableFuture<T> startNested(long deadlineNanos) {
        return begin(deadlineNanos);
    }

    /** Starts an operation not counted against the limit (a batch bounds its own), with a deadline of its own. */
    final CompletableFuture<T> startUncounted() {
        return begin(System.nanoTime() + Call.nanos(engine.settings.operationTimeout()));
    }

    /** The deadline, in {@link System#nanoTime()} terms. */
    final long deadline() {
        return deadline;
    }

    private CompletableFuture<T> begin(long deadlineNanos) {
        engine.live.add(this);
        if (engine.closed()) {
            closing(); // closed while this one was being admitted
        }
        deadline = deadlineNanos;
        backoff = Call.nanos(engine.settings.retryBackoff());
        round();
        return result;
    }

    /**
     * How long the next request may wait for its reply: the reply timeout, or what is left of the deadline if
     * less. There is no other timer: the deadline is enforced through the waits of the requests, and checked
     * between them.
     */
    final long replyTimeout() {
        return Math.min(Call.nanos(engine.settings.requestTimeout()), deadline - System.nanoTime());
    }

    private boolean timeUp() {
        return deadline - System.nanoTime() <= 0;
    }

    /** Whether the operation has its outcome. */
    final boolean ended() {
        return ended.get();
    }

    private void succeed(T value) {
        if (ended.compareAndSet(false, true)) {
            end(() -> result.complete(value));
        }
    }

    private void fail(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            Throwable c = Engine.unwrap(cause);
            end(() -> result.completeExceptionally(c));
        }
    }

    /** The client closes: the operation fails, whatever it waits for (a socket may never answer once closed). */
    final void closing() {
        fail(new IllegalStateException("the client is closed"));
    }

    private void end(Runnable complete) {
        engine.live.remove(this);
        if (counted) {
            engine.release();
        }
        if (completion == null) {
            complete.run();
            return;
        }
        try {
            completion.execute(complete);
        } catch (java.util.concurrent.RejectedExecutionException full) {
            complete.run();
        }
    }

    private void round() {
        if (ended()) {
            return;
        }
        if (engine.closed()) {
            fail(new IllegalStateException("the client is closed"));
            return;
        }
        List<Endpoint> fixed = endpoints();
        CompletableFuture<List<Endpoint>> servers = fixed != null ? null
                : handle == null ? engine.directory.configuredEndpoints(admin(), deadline)
                : engine.directory.endpoints(handle, admin(), primaryOnly(), deadline);
        if (servers == null || servers.isDone() && !servers.isCompletedExceptionally()) {
            tryServer(fixed != null ? fixed : servers.join(), 0); // the usual case: the servers are known
            return;
        }
        servers.whenComplete((eps, err) -> {
            if (err == null) {
                tryServer(eps, 0);
                return;
            }
            Throwable c = Engine.unwrap(err);
            if (c instanceof AllServersFailedException all) {
                synchronized (failures) {
                    all.failures().forEach(f -> failures.put(f.server(), f));
                }
                roundFailed();
            } else if (c instanceof HandleTimeoutException) {
                lookupTimedOut = true;
                roundFailed();
            } else {
                fail(c);
            }
        });
    }

    private void tryServer(List<Endpoint> eps, int i) {
        if (ended()) {
            return;
        }
        if (i == eps.size() || timeUp()) {
            roundFailed();
            return;
        }
        Endpoint ep = eps.get(i);
        boolean inSession = authenticated() && engine.settings.identity().isPresent() && engine.settings.sessions();
        Engine.Outgoing out = null;
        CompletableFuture<Message> reply;
        try {
            if (inSession) {
                reply = inSession(ep);
            } else {
                out = new Engine.Outgoing(request(base(ep)));
                reply = plain(ep, out);
            }
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        Engine.Outgoing sent = out;
        reply.whenComplete((r, err) -> replied(eps, i, ep, sent, r, err));
    }

    /**
     * The reply of server {@code eps[i]} (or its failure): a challenge outside a session is answered
     * ({@code out}, the request it challenges, then null); then the final reply is checked and read.
     */
    private void replied(List<Endpoint> eps, int i, Endpoint ep, Engine.Outgoing out, Message r, Throwable err) {
        if (ended()) {
            return;
        }
        if (err != null) {
            failed(eps, i, ep, Engine.unwrap(err));
            return;
        }
        try {
            if (out != null) {
                engine.checkFresh(r, ep);
                if (isChallenge(r) && engine.settings.identity().isPresent()) {
                    answerChallenge(ep, Connections.ANY_SLOT, null, out, r)
                            .whenComplete((r2, e2) -> replied(eps, i, ep, null, r2, e2));
                    return;
                }
                if (out.message().hasFlag(OpFlags.CERTIFY) && !isChallenge(r)) {
                    engine.checkSigned(r, ep);
                }
            }
            int rc = r.responseCode().code();
            if (rc == ResponseCode.SERVER_NOT_RESPONSIBLE.code() || rc == ResponseCode.SERVER_TOO_BUSY.code()) {
                record(ep, Errors.response(r, what, handle, ep, engine.settings));
                tryServer(eps, i + 1);
                return;
            }
            if (isChallenge(r)) {
                throw Errors.response(r, what, handle, ep, engine.settings);
            }
            CompletableFuture<T> answer = answer(r, ep);
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                succeed(answer.join());
            } else {
                answer.whenComplete((v, e) -> {
                    if (e == null) {
                        succeed(v);
                    } else {
                        fail(e);
                    }
                });
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Server {@code eps[i]} did not answer: the next one is tried, unless the request must not go twice. */
    private void failed(List<Endpoint> eps, int i, Endpoint ep, Throwable c) {
        if (c instanceof HandleException || c instanceof IllegalStateException || c instanceof IllegalArgumentException) {
            fail(c);
            return;
        }
        boolean sent = !(c instanceof Engine.Unreachable);
        mayHaveApplied |= sent;
        record(ep, c);
        if (sent && !retryAfterSend()) {
            fail(new AllServersFailedException(what + " failed, and it may have been done: " + summary()
                    + " (it is not sent again, as that could do it twice)", failures()));
            return;
        }
        if (timeUp() && c instanceof TimeoutException) {
            fail(timedOut(false)); // sent, and the deadline came before the reply
            return;
        }
        tryServer(eps, i + 1);
    }

    private void roundFailed() {
        if (ended()) {
            return;
        }
        if (engine.closed()) {
            fail(new IllegalStateException("the client is closed"));
            return;
        }
        List<ServerFailure> all = failures();
        if (!all.isEmpty() && all.stream().allMatch(f -> f.cause() instanceof ResponseException r
                && r.responseCode().equals(ResponseCode.SERVER_NOT_RESPONSIBLE))) {
            fail(all.get(0).cause()); // no server serves it: waiting will not help
            return;
        }
        long wait = backoff;
        backoff = Math.min(backoff * 2, Call.nanos(engine.settings.maxRetryBackoff()));
        if (singleRound() || deadline - System.nanoTime() <= wait) {
            fail(lookupTimedOut && all.isEmpty() ? timedOut(true) : allFailed());
            return;
        }
        try {
            engine.schedule(this::round, wait);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            fail(new IllegalStateException("the client is closed"));
        }
    }

    /** No reply before the deadline: to a request sent, or to the lookup of the servers. */
    private HandleTimeoutException timedOut(boolean lookingUp) {
        return new HandleTimeoutException(what + ": no reply within " + Errors.text(engine.settings.operationTimeout())
                + (lookingUp ? " while looking up its servers" : "")
                + (mayHaveApplied ? "; it may have been done" : "")
                + (failures().isEmpty() ? "" : " (before: " + summary() + ")"), null);
    }

    private AllServersFailedException allFailed() {
        List<ServerFailure> all = failures();
        return new AllServersFailedException(what + " failed: " + (all.isEmpty() ? "no server to ask" : summary())
                + (mayHaveApplied ? "; it may have been done" : ""), all);
    }

    private void record(Endpoint ep, Throwable cause) {
        synchronized (failures) {
            failures.remove(ep.key()); // re-insert: the order is that of the last failures
            failures.put(ep.key(), new ServerFailure(ep.key(), cause));
        }
    }

    private List<ServerFailure> failures() {
        synchronized (failures) {
            return new ArrayList<>(failures.values());
        }
    }

    private String summary() {
        StringBuilder b = new StringBuilder();
        for (ServerFailure f : failures()) {
            if (b.length() > 0) {
                b.append("; ");
            }
            String text = f.cause() instanceof Engine.Unreachable || f.cause() instanceof HandleException
                    ? f.cause().getMessage()
                    : "no answer from " + f.server().getAddress().getHostAddress() + ":" + f.server().getPort() + " ("
                            + Engine.describe(f.cause()) + ")";
            b.append(text);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- one server

    private Requests base(Endpoint ep) {
        return Requests.madeAt(engine.settings.clock().instant()).withVersion(ep.version())
                .withSiteInfoSerial(ep.siteSerial()).withFlags(flags());
    }

    /** Without a session: UDP first when allowed, then TCP; the reply as it comes (checked by {@link #replied}). */
    private CompletableFuture<Message> plain(Endpoint ep, Engine.Outgoing out) {
        if (viaUdp() && engine.settings.udp() && ep.udp() != null) {
            return engine.sendUdp(ep, out, deadline).exceptionallyCompose(e -> Engine.unwrap(e) instanceof Call.UdpNoReply
                    && ep.tcp() != null && !timeUp() ? engine.sendTcp(ep, out, pages(), replyTimeout())
                    : CompletableFuture.failedFuture(e));
        }
        return engine.sendTcp(ep, out, pages(), replyTimeout());
    }

    /**
     * In a session with {@code ep}, over the connection slot with the fewest session requests under way, whose
     * session it uses (set up there on first need).
     */
    private CompletableFuture<Message> inSession(Endpoint ep) {
        Sessions.Slot slot = engine.sessions.enter(ep);
        CompletableFuture<Message> reply;
        try {
            reply = inSession(ep, slot, 0);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, e) -> engine.sessions.leave(slot));
        return reply;
    }

    /**
     * In the session of {@code slot} with {@code ep}, over that slot's connection: sealed with the session's
     * MAC; the pilot of a session not yet authenticated answers its challenge; a session the server has
     * forgotten (500) or refuses (502) is set up again in the slot, a counter it refuses (505) is sent again
     * there with the next one, while time is left.
     */
    private CompletableFuture<Message> inSession(Endpoint ep, Sessions.Slot slot, int tries) {
        Identity identity = engine.settings.identity().orElseThrow();
        return engine.sessions.session(ep, slot, identity.reference()).thenCompose(s -> {
            CompletableFuture<Message> done = new CompletableFuture<>();
            s.enter(pilot -> {
                if (ended()) {
                    if (pilot) {
                        s.pilotDone(false);
                    }
                    done.cancel(false);
                    return;
                }
                CompletableFuture<Message> reply;
                boolean[] challenged = new boolean[1];
                try {
                    Engine.Outgoing out = new Engine.Outgoing(request(base(ep).withSessionId(s.id())
                            .withVersion(s.version())));
                    SessionSeal seal = new SessionSeal(s, out.message().envelope(), out.headerAndBody(), encrypt(),
                            engine.sessionKeys, engine.cipher, engine.random);
                    reply = engine.sendTcp(ep, slot.index, out, seal, sessionPages(s, ep), replyTimeout())
                            .thenApply(r -> engine.openInSession(r, s, ep))
                            .thenCompose(r -> {
                                if (!isChallenge(r)) {
                                    return CompletableFuture.completedFuture(r);
                                }
                                challenged[0] = true;
                                return answerChallenge(ep, slot.index, s, out, r);
                            });
                } catch (RuntimeException e) {
                    reply = CompletableFuture.failedFuture(e);
                }
                reply.whenComplete((r, e) -> {
                    if (pilot) {
                        s.pilotDone(e == null && proved(r, challenged[0]));
                    }
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(r);
                    }
                });
            });
            return done.thenCompose(r -> {
                int rc = r.responseCode().code();
                boolean forgotten = rc == ResponseCode.SESSION_TIMEOUT.code()
                        || rc == ResponseCode.INVALID_SESSION_KEY.code();
                if (forgotten) {
                    engine.sessions.forget(slot, s);
                }
                boolean replayed = rc == ResponseCode.SESSION_MESSAGE_REJECTED.code(); // refused unread: safe to resend
                if ((forgotten || replayed) && tries < SESSION_RETRIES && !timeUp()) {
                    return inSession(ep, slot, tries + 1);
                }
                return CompletableFuture.completedFuture(r);
            });
        });
    }

    /** Whether the pilot's exchange authenticated the session: its answer was taken, or it needed none. */
    private boolean proved(Message reply, boolean challenged) {
        int rc = reply.responseCode().code();
        if (!challenged) {
            return admin() && rc == ResponseCode.SUCCESS.code();
        }
        return rc != ResponseCode.ERROR.code() && (rc < 400 || rc > 406);
    }

    private Consumer<Message> sessionPages(ClientSession s, Endpoint ep) {
        Consumer<Message> pages = pages();
        return pages == null ? null : m -> pages.accept(engine.openInSession(m, s, ep));
    }

    /**
     * Answers the challenge {@code challenge} to {@code out} (§6.2) as the identity: after checking that it
     * challenges this very request (its digest, §2.4), signs nonce and digest with the private key, or MACs them
     * with the secret key; the answer goes over the connection in {@code slot} (that of the session {@code s}, if
     * any) and its reply is the operation's.
     */
    private CompletableFuture<Message> answerChallenge(Endpoint ep, int slot, ClientSession s, Engine.Outgoing out,
            Message challenge) {
        Identity identity = engine.settings.identity().orElse(null);
        if (identity == null) {
            return CompletableFuture.completedFuture(challenge); // reported as "needs authentication"
        }
        RequestDigest digest = challenge.requestDigest();
        if (digest == null || !RequestDigests.matches(digest, out.headerAndBody())) {
            throw new InvalidReplyException("the challenge of " + ep + " is not about the request sent (its request"
                    + " digest differs)", null);
        }
        byte[] nonce = ((Challenge) challenge.body()).nonce();
        ProtocolVersion version = challenge.envelope().version().isBefore(ProtocolVersion.CURRENT)
                ? challenge.envelope().version() : ProtocolVersion.CURRENT;
        String type;
        byte[] signed;
        if (identity instanceof PrivateKeyIdentity p) {
            type = ValueTypes.HS_PUBKEY;
            signed = engine.answers.signPublicKeyAnswer(p.key(), p.reference().handle(), nonce, digest.digest(),
                    version.number());
        } else {
            SecretKeyIdentity k = (SecretKeyIdentity) identity;
            ProtocolVersion suggested = challenge.envelope().suggestedVersion();
            int v = Math.min(version.number(), suggested.number());
            type = ValueTypes.HS_SECKEY;
            signed = engine.answers.secretKeyAnswer(k.secret(), nonce, digest.digest(), v, engine.random);
        }
        Message answer = Requests.madeAt(engine.settings.clock().instant()).withVersion(version)
                .withSiteInfoSerial(MessageHeader.NO_SITE_SERIAL).withSessionId(challenge.sessionId())
                .challengeAnswer(type, identity.reference(), signed);
        Consumer<Message> pages = s == null ? pages() : sessionPages(s, ep);
        return engine.sendTcp(ep, slot, new Engine.Outgoing(answer), null, pages, replyTimeout()).thenApply(r -> {
            engine.checkFresh(r, ep);
            return s != null && r.sessionId() == s.id() ? engine.openInSession(r, s, ep) : r;
        });
    }

    private static boolean isChallenge(Message reply) {
        return reply.responseCode().equals(ResponseCode.AUTHENTICATION_NEEDED) && reply.body() instanceof Challenge;
    }
}
