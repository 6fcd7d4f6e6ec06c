package io.idnode.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The dependencies between a module's {@code io.idnode} packages, read from its compiled classes by the JDK's
 * {@code jdeps} (so references in code count, Javadoc links do not), and the cycles among them: each module
 * has a test that fails the build when its packages form a cycle.
 */
public final class PackageGraph {
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.idnode[\\w.]*)\\s+->\\s+(io\\.idnode[\\w.]*)\\s");

    private final Map<String, Set<String>> edges;

    private PackageGraph(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /** The graph of the classes compiled into {@code classes} (a module's {@code target/classes}). */
    public static PackageGraph ofClasses(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled classes at " + classes.toAbsolutePath());
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-e", "io\\.idnode\\..*",
                classes.toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return new PackageGraph(edges);
    }

    /** A graph given edge by edge ({@code "a -> b"}), for testing the cycle search itself. */
    public static PackageGraph of(String... edgeList) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String e : edgeList) {
            String[] ends = e.split("\\s*->\\s*");
            edges.computeIfAbsent(ends[0], k -> new TreeSet<>()).add(ends[1]);
        }
        return new PackageGraph(edges);
    }

    /** The packages that depend on others, with the packages each depends on. */
    public Map<String, Set<String>> edges() {
        return edges;
    }

    /**
     * Every set of packages that depend on each other round a cycle (the strongly connected components of more
     * than one package, Tarjan's algorithm), each sorted by name.
     */
    public List<Set<String>> cycles() {
        return new Tarjan().run();
    }

    private final class Tarjan {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> found = new ArrayList<>();
        private int next;

        List<Set<String>> run() {
            for (String p : edges.keySet()) {
                if (!index.containsKey(p)) {
                    visit(p);
                }
            }
            return found;
        }

        private void visit(String p) {
            index.put(p, next);
            low.put(p, next);
            next++;
            stack.push(p);
            onStack.add(p);
            for (String q : edges.getOrDefault(p, Set.of())) {
                if (!index.containsKey(q)) {
                    visit(q);
                    low.put(p, Math.min(low.get(p), low.get(q)));
                } else if (onStack.contains(q)) {
                    low.put(p, Math.min(low.get(p), index.get(q)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                Set<String> component = new TreeSet<>();
                String q;
                do {
                    q = stack.pop();
                    onStack.remove(q);
                    component.add(q);
                } while (!q.equals(p));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }
}
