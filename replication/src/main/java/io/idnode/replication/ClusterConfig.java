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
 * A replicated service as a cluster file describes it (a properties file): its name and its members. In the
 * Handle protocol's terms (handle-protocol.md §7.2) a service is made of sites, each a full copy, and a site of
 * servers, each holding the handles that hash to it; a member is one server of one site, and server <i>i</i> of
 * every site forms Raft group <i>i</i>. Without {@code server} and {@code site} keys each member is a site of
 * one server and the service is one group (a single shard):
 *
 * <pre>
 * cluster.name = idnode-88.100.1
 * member.a.address = 127.0.0.1     # where clients reach it (HS_SITE) and where Raft listens
 * member.a.port = 2641             # Handle protocol, UDP and TCP
 * member.a.raft-port = 9871        # Raft between members
 * member.a.role = voter            # voter (default) or listener: a disaster-recovery copy that never votes
 * member.a.server = 1              # which server of its site (shard) it is, 1..n (default 1)
 * member.a.site = east             # the site it belongs to (default: its id)
 * </pre>
 *
 * With several servers every site has exactly one member of each server 1..n, all of the same role, and every
 * server has a voter. Member ids are letters, digits, '-' and '_'. A bad file is refused with a message naming
 * the key to fix.
 *
 * @param name the service's name, from which the Raft group id is derived
 * @param members the members in the file's order of ids
 */
public record ClusterConfig(String name, List<Member> members) {
    private static final Pattern MEMBER_KEY = Pattern.compile("member\\.([A-Za-z0-9_-]+)\\.([a-z-]+)");
    private static final Set<String> MEMBER_FIELDS = Set.of("address", "port", "raft-port", "role", "server",
            "site");
    /** Most servers a site may have. */
    private static final int MAX_SERVERS = 64;

    /**
     * One member: server {@code server} (1..n) of site {@code site}, a member of Raft group {@code server}. In a
     * single-shard file each member is a site of one server (its id).
     */
    public record Member(String id, InetAddress address, int port, int raftPort, boolean listener, int server,
            String site) {
        /** {@code address:raftPort}, where its Raft server listens. */
        public String raftAddress() {
            return address.getHostAddress() + ":" + raftPort;
        }
    }

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** How many servers each site has (shards, one Raft group each): 1 for a single-shard file. */
    public int servers() {
        return members.stream().mapToInt(Member::server).max().orElse(1);
    }

    /**
     * The members of server {@code server} (its Raft group) as a cluster of their own, under the same name: what
     * a member runs and what {@link ClusterAdmin} administers. The single-shard file's server 1 is the file.
     */
    public ClusterConfig shard(int server) {
        return new ClusterConfig(name, members.stream().filter(m -> m.server() == server).toList());
    }

    /** The members of site {@code site} in the order of their servers (1..n). */
    public List<Member> site(String site) {
        return members.stream().filter(m -> m.site().equals(site))
                .sorted(java.util.Comparator.comparingInt(Member::server)).toList();
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
            int server = f.containsKey("server") ? number(source, "member." + id + ".server", f.get("server"), 1,
                    MAX_SERVERS) : 1;
            String site = f.getOrDefault("site", id);
            if (!site.matches("[A-Za-z0-9_-]+")) {
                throw bad(source, "member." + id + ".site must be letters, digits, '-' or '_', got '" + site + "'");
            }
            members.add(new Member(id, address, port, raftPort, role.equals("listener"), server, site));
        }
        if (members.stream().noneMatch(m -> !m.listener())) {
            throw bad(source, "every member is a listener: a cluster needs voters");
        }
        checkShards(source, members);
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

    /**
     * Every server 1..n has a voter; every site has at most one member of each server, and with several servers
     * exactly one of each, all of one role (a site's HS_SITE lists its servers, §7.2).
     */
    private static void checkShards(String source, List<Member> members) {
        int servers = members.stream().mapToInt(Member::server).max().orElse(1);
        for (int i = 1; i <= servers; i++) {
            int server = i;
            if (members.stream().noneMatch(m -> m.server() == server && !m.listener())) {
                throw bad(source, "server " + server + " has no voter: give a member member.ID.server = " + server
                        + " (servers are numbered 1.." + servers + " without gaps)");
            }
        }
        Map<String, List<Member>> sites = new LinkedHashMap<>();
        members.forEach(m -> sites.computeIfAbsent(m.site(), s -> new ArrayList<>()).add(m));
        for (var e : sites.entrySet()) {
            Map<Integer, String> byServer = new LinkedHashMap<>();
            for (Member m : e.getValue()) {
                String other = byServer.put(m.server(), m.id());
                if (other != null) {
                    throw bad(source, "site " + e.getKey() + " has two members of server " + m.server() + " ("
                            + other + ", " + m.id() + "): change member." + m.id() + ".server or .site");
                }
            }
            if (servers > 1) {
                for (int i = 1; i <= servers; i++) {
                    if (!byServer.containsKey(i)) {
                        throw bad(source, "site " + e.getKey() + " has no member of server " + i + " (every site"
                                + " of a service of " + servers + " servers needs one of each): add one with"
                                + " member.ID.site = " + e.getKey() + " and member.ID.server = " + i);
                    }
                }
                if (e.getValue().stream().map(Member::listener).distinct().count() > 1) {
                    throw bad(source, "the members of site " + e.getKey() + " differ in member.ID.role: a site is"
                            + " a voter or a listener as a whole");
                }
            }
        }
    }

    private static int number(String source, String key, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw bad(source, key + " must be " + min + "-" + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(source, key + " must be a number, got '" + text + "'");
        }
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
