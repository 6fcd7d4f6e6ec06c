package io.idnode.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Permission;
import java.util.Locale;
import java.util.Set;

/**
 * Test-wide network guard: permits everything except connecting to, sending to or looking up a host
 * outside 127.0.0.0/8 and ::1. Installed for every test JVM by {@link LoopbackGuardListener} (Surefire runs
 * with {@code -Djava.security.manager=allow}), so no test can reach the public Handle root servers or any
 * other machine, whatever a library's defaults are.
 */
public final class LoopbackOnlySecurityManager extends SecurityManager {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost");

    @Override
    public void checkPermission(Permission perm) {
        // Everything but network destinations is allowed.
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        // Everything but network destinations is allowed.
    }

    @Override
    public void checkConnect(String host, int port) {
        requireLoopback(host, port);
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        requireLoopback(host, port);
    }

    @Override
    public void checkMulticast(InetAddress maddr) {
        throw new SecurityException("tests may not use multicast (" + maddr + ")");
    }

    /** True if {@code host} names or is a loopback address. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (LOOPBACK_NAMES.contains(h)) {
            return true;
        }
        if (h.startsWith("127.") && h.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return true;
        }
        if (h.indexOf(':') >= 0) {
            try {
                // A literal IPv6 address: parsing it does no lookup.
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static void requireLoopback(String host, int port) {
        if (!isLoopback(host)) {
            throw new SecurityException("tests may only reach loopback; refused " + host
                    + (port >= 0 ? ":" + port : " (name lookup)"));
        }
    }
}
