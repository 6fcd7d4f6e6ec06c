package io.idnode.sign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a verification of one record found, for a person to read ({@link #render}) and a program to act on
 * ({@link #verified}): per HS_SIGNATURE the values it covers, who signed, the chain up to a trust root, and
 * every failure with its reason; and the values no valid signature covers. Immutable.
 *
 * @param handle the verified handle
 * @param checkedAt the time dates were checked against, Unix seconds
 * @param signatures one report per HS_SIGNATURE value of the record
 * @param unsignedValues indexes of values that need a signature and that no valid signature covers
 * @param problems failures not tied to one signature (none found, a record source failing)
 */
public record VerificationReport(String handle, long checkedAt, List<SignatureReport> signatures,
        List<Integer> unsignedValues, List<String> problems) {

    public VerificationReport {
        Objects.requireNonNull(handle, "handle");
        signatures = List.copyOf(signatures);
        unsignedValues = List.copyOf(unsignedValues);
        problems = List.copyOf(problems);
    }

    /** True only if at least one signature is valid, nothing failed, and every value needing it is signed. */
    public boolean verified() {
        return problems.isEmpty() && unsignedValues.isEmpty() && !signatures.isEmpty()
                && signatures.stream().allMatch(SignatureReport::valid);
    }

    /** Every failure, one line each, signature failures prefixed with the signature's index. */
    public List<String> failures() {
        List<String> out = new ArrayList<>(problems);
        for (SignatureReport s : signatures) {
            for (String p : s.allProblems()) {
                out.add("signature " + s.index() + ": " + p);
            }
        }
        if (!unsignedValues.isEmpty()) {
            out.add("values not covered by a valid signature: " + join(unsignedValues));
        }
        return out;
    }

    /** The report as lines of text. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(handle).append(": ").append(verified() ? "VERIFIED" : "NOT VERIFIED").append(" (checked at ")
                .append(Instant.ofEpochSecond(checkedAt)).append(")\n");
        for (SignatureReport s : signatures) {
            b.append("  signature at index ").append(s.index());
            if (s.algorithm() != null) {
                b.append(" (").append(s.algorithm()).append(")");
            }
            if (s.signer() != null) {
                b.append(" by ").append(s.signer());
            }
            b.append(": ").append(s.valid() ? "valid" : "INVALID").append('\n');
            line(b, "values covered and intact", s.verifiedValues());
            line(b, "values changed since signing (digest differs)", s.badDigestValues());
            line(b, "signed values missing from the record", s.missingValues());
            for (ChainLink l : s.chain()) {
                b.append("    ").append(l.subject()).append(" certified by ").append(l.issuer());
                if (l.location() != null) {
                    b.append(" (HS_CERT at ").append(l.location()).append(")");
                }
                if (l.expires() != null) {
                    b.append(", expires ").append(Instant.ofEpochSecond(l.expires()));
                }
                b.append(l.problems().isEmpty() ? ": ok" : ": FAILED").append('\n');
            }
            if (s.trustedRoot() != null) {
                b.append("    chain ends at trusted root ").append(s.trustedRoot()).append('\n');
            }
            for (String p : s.allProblems()) {
                b.append("    problem: ").append(p).append('\n');
            }
        }
        line(b, "values not covered by a valid signature", unsignedValues);
        for (String p : problems) {
            b.append("  problem: ").append(p).append('\n');
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String what, List<Integer> indexes) {
        if (!indexes.isEmpty()) {
            b.append("    ").append(what).append(": ").append(join(indexes)).append('\n');
        }
    }

    private static String join(List<Integer> indexes) {
        return indexes.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /**
     * One HS_SIGNATURE's verdict.
     *
     * @param index the signature value's index
     * @param algorithm the JWS {@code alg}; null if unreadable
     * @param signer the {@code iss} claim; null if unreadable
     * @param verifiedValues indexes whose digest matches
     * @param badDigestValues indexes whose value changed since signing
     * @param missingValues signed indexes absent from the values checked
     * @param chain the certificates from the signer up to the root, signer's first
     * @param trustedRoot the trust root the chain ended at; null if none
     * @param problems failures of the signature itself (format, subject, key, dates, chain building)
     */
    public record SignatureReport(int index, String algorithm, String signer, List<Integer> verifiedValues,
            List<Integer> badDigestValues, List<Integer> missingValues, List<ChainLink> chain, String trustedRoot,
            List<String> problems) {
        public SignatureReport {
            verifiedValues = List.copyOf(verifiedValues);
            badDigestValues = List.copyOf(badDigestValues);
            missingValues = List.copyOf(missingValues);
            chain = List.copyOf(chain);
            problems = List.copyOf(problems);
        }

        /** True if the signature, every link of its chain and every value it names that was checked are good. */
        public boolean valid() {
            return allProblems().isEmpty();
        }

        /** The signature's own problems, then each link's, then the values'. */
        public List<String> allProblems() {
            List<String> out = new ArrayList<>(problems);
            for (ChainLink l : chain) {
                for (String p : l.problems()) {
                    out.add("certificate of " + l.subject() + ": " + p);
                }
            }
            if (!badDigestValues.isEmpty()) {
                out.add("values changed since signing: " + join(badDigestValues));
            }
            if (!missingValues.isEmpty()) {
                out.add("signed values missing: " + join(missingValues));
            }
            return out;
        }
    }

    /**
     * One certificate of a chain: {@code issuer} certified {@code subject}'s key.
     *
     * @param subject the certified key, {@code index:handle}
     * @param issuer who signed the certificate, {@code index:handle}
     * @param location where the certificate was found, {@code handle:index}; null if it was not found
     * @param expires its {@code exp}, Unix seconds; null if absent
     * @param problems what failed about this link
     */
    public record ChainLink(String subject, String issuer, String location, Long expires, List<String> problems) {
        public ChainLink {
            problems = List.copyOf(problems);
        }
    }
}
