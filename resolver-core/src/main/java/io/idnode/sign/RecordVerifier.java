package io.idnode.sign;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.keys.Jwk;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.sign.VerificationReport.ChainLink;
import io.idnode.sign.VerificationReport.SignatureReport;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies the HS_SIGNATURE values of a record (handle-protocol.md §5.6, cn-extensions.md §5.3): each
 * signature's JWS, its subject and dates, the digests of the values it names, and its chain of HS_CERTs,
 * fetched from a {@link RecordSource}, up to one of the configured {@link TrustRoot}s; each certificate
 * checked with its issuer's key, dates and permissions over the signed handle. A certificate removed from its
 * handle, or replaced by one for another key, revokes what it certified. Returns a
 * {@link VerificationReport}; never throws for bad data. Thread-safe.
 */
public final class RecordVerifier {
    /** Chain length limit when none is configured, as the Chinese SDK's. */
    public static final int DEFAULT_MAX_CHAIN_LENGTH = 50;

    private final JwsEngine engine;
    private final Jwk jwk;
    private final List<TrustRoot> roots;
    private final RecordSource source;
    private final int maxChainLength;
    private final Clock clock;

    /**
     * A verifier trusting {@code roots}, finding certificates in {@code source}, following at most
     * {@code maxChainLength} certificates, checking dates against {@code clock}.
     */
    public RecordVerifier(JwsEngine engine, List<TrustRoot> roots, RecordSource source, int maxChainLength,
            Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.jwk = new Jwk(engine.providers());
        this.roots = List.copyOf(roots);
        this.source = Objects.requireNonNull(source, "source");
        if (maxChainLength < 1) {
            throw new IllegalArgumentException("chain length limit must be at least 1, got " + maxChainLength);
        }
        this.maxChainLength = maxChainLength;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the signatures among {@code values} of {@code handle}. With {@code wholeRecord}, a signed value
     * absent from {@code values} is a failure (a value was removed); without, {@code values} may be an answer
     * filtered by type, index or permission, and verifies for the values it holds.
     */
    public VerificationReport verify(String handle, List<HandleValue> values, boolean wholeRecord) {
        long now = clock.millis() / 1000;
        List<SignatureReport> reports = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (HandleValue v : values) {
            if (v.hasType(ValueTypes.HS_SIGNATURE)) {
                SignatureReport r = checkSignature(handle, v, values, wholeRecord, now);
                reports.add(r);
                if (r.valid()) {
                    covered.addAll(r.verifiedValues());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (reports.isEmpty()) {
            problems.add("the record holds no HS_SIGNATURE value");
        }
        Set<Integer> unsigned = new TreeSet<>();
        for (HandleValue v : values) {
            if (ValueDigests.needsSignature(v) && !covered.contains(v.index())) {
                unsigned.add(v.index());
            }
        }
        return new VerificationReport(handle, now, reports, List.copyOf(unsigned), problems);
    }

    private SignatureReport checkSignature(String handle, HandleValue sig, List<HandleValue> values,
            boolean wholeRecord, long now) {
        List<String> problems = new ArrayList<>();
        Jws jws;
        HandleClaims claims;
        try {
            jws = Jws.parse(sig.dataAsString());
            claims = HandleClaims.parse(jws.payload());
        } catch (SignatureFormatException e) {
            return new SignatureReport(sig.index(), null, null, List.of(), List.of(), List.of(), List.of(), null,
                    List.of("unreadable: " + e.getMessage()));
        }
        if (!TrustRoot.samePrefixHandle(claims.sub(), handle)) {
            problems.add("it signs " + claims.sub() + ", not " + handle);
        }
        dates(claims, now, problems);
        List<Integer> verified = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        HandleClaims.Digests digests = claims.digests();
        if (digests == null) {
            problems.add("it has no \"digests\" claim (a certificate, not a record signature)");
        } else if (!ValueDigests.supports(digests.alg())) {
            problems.add("digest algorithm " + digests.alg() + " is not supported");
        } else {
            for (HandleClaims.ValueDigest d : digests.digests()) {
                HandleValue v = valueAt(values, d.index());
                if (v == null) {
                    if (wholeRecord) {
                        missing.add(d.index());
                    }
                } else if (ValueDigests.digest(v, digests.alg(), engine.providers()).equals(d.digest())) {
                    verified.add(d.index());
                } else {
                    bad.add(d.index());
                }
            }
        }
        Chain chain = buildChain(handle, jws, claims, now, problems);
        return new SignatureReport(sig.index(), jws.algorithm().jwsAlgorithm(), claims.iss(), verified, bad, missing,
                chain.links, chain.root, problems);
    }

    private record Chain(List<ChainLink> links, String root) {
    }

    // A link whose problems are still being found: later steps check its signature with its issuer's key.
    private record OpenLink(HandleClaims claims, String location, List<String> problems) {
        ChainLink close() {
            return new ChainLink(claims.sub(), claims.iss(), location, claims.exp(), problems);
        }
    }

    private record Found(Jws jws, HandleClaims claims, String location) {
    }

    private Chain buildChain(String signed, Jws signature, HandleClaims claims, long now, List<String> sigProblems) {
        List<OpenLink> links = new ArrayList<>();
        Jws childJws = signature;
        HandleClaims child = claims;
        List<String> childProblems = sigProblems;
        Deque<String> pending = new ArrayDeque<>(claims.chain());
        Set<String> seen = new HashSet<>();
        String root = null;
        for (int depth = 0;; depth++) {
            if (depth >= maxChainLength) {
                childProblems.add("the chain is longer than " + maxChainLength + " certificates");
                break;
            }
            String ref = pending.isEmpty() ? handleOf(child.iss()) : pending.poll();
            if (!seen.add(ref.toUpperCase(Locale.ROOT))) {
                childProblems.add("the chain repeats " + ref);
                break;
            }
            Found parent;
            try {
                parent = find(ref, child.iss());
            } catch (IOException e) {
                childProblems.add("the certificate of " + child.iss() + " could not be fetched from " + ref + ": "
                        + e.getMessage());
                break;
            }
            if (parent == null) {
                childProblems.add("no certificate of " + child.iss() + " found at " + ref
                        + " (removed, or never issued)");
                break;
            }
            HandleClaims pc = parent.claims();
            List<String> pp = new ArrayList<>();
            if (!sameReference(pc.sub(), child.iss())) {
                childProblems.add("the chain is broken: the certificate at " + parent.location() + " is about "
                        + pc.sub() + ", not " + child.iss());
            }
            PublicKey key = null;
            if (pc.publicKey() == null) {
                pp.add("it certifies no public key");
            } else {
                try {
                    key = jwk.fromJwk(pc.publicKey());
                } catch (CryptoException e) {
                    pp.add("its public key is unusable: " + e.getMessage());
                }
            }
            if (key != null && !engine.verify(childJws, key)) {
                childProblems.add("the signature does not verify with the key certified for " + pc.sub());
            }
            if (pc.perms().stream().noneMatch(p -> p.authorizes(signed))) {
                pp.add("its permissions " + pc.perms() + " do not cover " + signed);
            }
            dates(pc, now, pp);
            links.add(new OpenLink(pc, parent.location(), pp));
            if (pc.selfIssued()) {
                if (key != null && !engine.verify(parent.jws(), key)) {
                    pp.add("its self-signature does not verify");
                }
                for (TrustRoot r : roots) {
                    if (key != null && r.matches(handleOf(pc.sub()), key)) {
                        root = pc.sub();
                        break;
                    }
                }
                if (root == null) {
                    pp.add("it is self-issued by " + pc.sub() + ", which is not a configured trust root");
                }
                break;
            }
            childJws = parent.jws();
            child = pc;
            childProblems = pp;
            if (pending.isEmpty()) {
                pending.addAll(pc.chain());
            }
        }
        return new Chain(links.stream().map(OpenLink::close).toList(), root);
    }

    /** The certificate a chain entry names: {@code index:handle} a value, a bare handle its newest HS_CERT about {@code sub}. */
    private Found find(String ref, String sub) throws IOException {
        int colon = ref.indexOf(':');
        int index = colon > 0 ? parseIndex(ref.substring(0, colon)) : -1;
        if (index > 0) {
            String handle = ref.substring(colon + 1);
            HandleValue v = valueAt(source.values(handle), index);
            return v == null ? null : read(v, handle);
        }
        String handle = colon == 0 || index == 0 ? ref.substring(colon + 1) : ref;
        Found best = null;
        for (HandleValue v : source.values(handle)) {
            if (v.hasType(ValueTypes.HS_CERT)) {
                Found f = read(v, handle);
                if (f != null && f.claims().sub().equals(sub) && (best == null || later(f.claims(), best.claims()))) {
                    best = f;
                }
            }
        }
        return best;
    }

    private static Found read(HandleValue v, String handle) {
        try {
            Jws jws = Jws.parse(v.dataAsString());
            return new Found(jws, HandleClaims.parse(jws.payload()), handle + ":" + v.index());
        } catch (SignatureFormatException e) {
            return null;
        }
    }

    private static boolean later(HandleClaims a, HandleClaims b) {
        long ia = a.iat() == null ? Long.MIN_VALUE : a.iat();
        long ib = b.iat() == null ? Long.MIN_VALUE : b.iat();
        return ia > ib;
    }

    private static void dates(HandleClaims c, long now, List<String> problems) {
        if (c.nbf() != null && now < c.nbf()) {
            problems.add("not valid before " + Instant.ofEpochSecond(c.nbf()));
        }
        if (c.exp() != null && now > c.exp()) {
            problems.add("expired at " + Instant.ofEpochSecond(c.exp()));
        }
    }

    private static HandleValue valueAt(List<HandleValue> values, int index) {
        for (HandleValue v : values) {
            if (v.index() == index) {
                return v;
            }
        }
        return null;
    }

    /** The handle of an {@code index:handle} reference, or the text itself if it has no index. */
    static String handleOf(String ref) {
        int colon = ref.indexOf(':');
        return colon > 0 && parseIndex(ref.substring(0, colon)) >= 0 ? ref.substring(colon + 1) : ref;
    }

    private static boolean sameReference(String a, String b) {
        int ca = a.indexOf(':');
        int cb = b.indexOf(':');
        return a.substring(0, Math.max(ca, 0)).equals(b.substring(0, Math.max(cb, 0)))
                && TrustRoot.samePrefixHandle(handleOf(a), handleOf(b));
    }

    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        long n = Long.parseLong(s);
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }
}
