package io.idnode.replication;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replicated service as a cluster file describes it (a properties file): its name and its members, each a
 * site of its own holding a full copy (one Raft group whose members are the sites, handle-protocol.md §7.2):
 *
 * <pre>
 * cluster.name = idnode-88.100.1
 * member.a.address = 127.0.0.1     # where clients reach it (HS_SITE) and where Raft listens
 * member.a.port = 2641             # Handle protocol, UDP and TCP
 * member.a.raft-port = 9871        # Raft between members
 * member.a.role = voter            # voter (default) or listener: a disaster-recovery copy that never votes
 * </pre>
 *
 * Member ids are letters, digits, '-' and '_'. A bad file is refused with a message naming the key to fix.
 *
 * @param name the service's name, from which the Raft group id is derived
 * @param members the members in the file's order of ids
 */
public record ClusterConfig(String name, List<Member> members) {
    private static final Pattern MEMBER_KEY = Pattern.compile("member\\.([A-Za-z0-9_-]+)\\.([a-z-]+)");
    private static final Set<String> MEMBER_FIELDS = Set.of("address", "port", "raft-port", "role");

    /** One member: a site of one server. */
    public record Member(String id, InetAddress address, int port, int raftPort, boolean listener) {
        /** {@code address:raftPort}, where its Raft server listens. */
        public String raftAddress() {
            return address.getHostAddress() + ":" + raftPort;
        }
    }

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** The member {@code id}; fails with a message listing the known ids. */
    public Member member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--member " + id + " is not in the cluster file (members: "
                        + members.stream().map(Member::id).toList() + ")"));
    }

    /** Reads and checks a cluster file. */
    public static ClusterConfig read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return parse(p, file.toString());
    }

    /** Checks the properties of a cluster file named {@code source} in messages. */
    public static ClusterConfig parse(Properties p, String source) {
        String name = p.getProperty("cluster.name", "").strip();
        if (name.isEmpty()) {
            throw bad(source, "cluster.name is missing");
        }
        Map<String, Map<String, String>> fields = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            if (key.equals("cluster.name")) {
                continue;
            }
            Matcher m = MEMBER_KEY.matcher(key);
            if (!m.matches() || !MEMBER_FIELDS.contains(m.group(2))) {
                throw bad(source, "unknown key " + key + " (expected cluster.name or member.ID."
                        + String.join("|", new TreeSet<>(MEMBER_FIELDS)) + ")");
            }
            fields.computeIfAbsent(m.group(1), id -> new LinkedHashMap<>()).put(m.group(2), p.getProperty(key).strip());
        }
        if (fields.isEmpty()) {
            throw bad(source, "no member.ID.* keys: a cluster needs members");
        }
        List<Member> members = new ArrayList<>();
        Set<String> endpoints = new HashSet<>();
        for (var e : fields.entrySet()) {
            String id = e.getKey();
            Map<String, String> f = e.getValue();
            InetAddress address = address(source, id, f.get("address"));
            int port = port(source, id, "port", f.get("port"));
            int raftPort = port(source, id, "raft-port", f.get("raft-port"));
            String role = f.getOrDefault("role", "voter");
            if (!role.equals("voter") && !role.equals("listener")) {
                throw bad(source, "member." + id + ".role must be voter or listener, got '" + role + "'");
            }
            for (String endpoint : List.of(address.getHostAddress() + ":" + port, address.getHostAddress() + ":"
                    + raftPort)) {
                if (!endpoints.add(endpoint)) {
                    throw bad(source, "member." + id + " uses " + endpoint + " which another port already uses");
                }
            }
            members.add(new Member(id, address, port, raftPort, role.equals("listener")));
        }
        if (members.stream().noneMatch(m -> !m.listener())) {
            throw bad(source, "every member is a listener: a cluster needs voters");
        }
        return new ClusterConfig(name, members);
    }

    /**
     * Rewrites the cluster file {@code file} after a membership change: without {@code role}, drops every
     * {@code member.ID.*} line of {@code id} (a removed member); with it, sets {@code member.ID.role = ROLE}
     * (a promoted listener). Other lines, comments included, are kept; the result is checked, then moved over
     * the old file atomically. Returns the new configuration.
     */
    public static ClusterConfig rewriteMember(Path file, String id, Optional<String> role) throws IOException {
        String prefix = "member." + id + ".";
        List<String> lines = new ArrayList<>();
        int last = -1;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String key = line.stripLeading().split("[\\s=:]", 2)[0];
            if (key.startsWith(prefix) && (role.isEmpty() || key.equals(prefix + "role"))) {
                continue;
            }
            lines.add(line);
            if (key.startsWith(prefix)) {
                last = lines.size();
            }
        }
        if (role.isPresent()) {
            lines.add(last < 0 ? lines.size() : last, prefix + "role = " + role.get());
        }
        String text = String.join("\n", lines) + "\n";
        Properties p = new Properties();
        p.load(new java.io.StringReader(text));
        ClusterConfig changed = parse(p, file.toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return changed;
    }

    private static InetAddress address(String source, String id, String text) {
        if (text == null || text.isEmpty()) {
            throw bad(source, "member." + id + ".address is missing");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw bad(source, "member." + id + ".address '" + text + "' is not a known host");
        }
    }

    private static int port(String source, String id, String field, String text) {
        String key = "member." + id + "." + field;
        if (text == null || text.isEmpty()) {
            throw bad(source, key + " is missing");
        }
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw bad(source, key + " must be a port 1-65535, got " + port);
            }
            return port;
        } catch (NumberFormatException e) {
            throw bad(source, key + " must be a port number, got '" + text + "'");
        }
    }

    private static IllegalArgumentException bad(String source, String message) {
        return new IllegalArgumentException(source + ": " + message);
    }
}
