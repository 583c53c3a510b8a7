package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports that are free now, together with the cluster bus port (+10000), both below
 * the kernel's range of ephemeral ports. A port in that range may be handed to an outgoing
 * connection at any time, and a connection to a port with no listener yet can even connect to
 * itself (TCP simultaneous open) when the kernel happens to give it that very port as its own:
 * the readiness check's PING then reads its own request back as a reply while the server, finding
 * the port taken, exits.
 */
final class FreePorts {

    /** The lowest port handed out: below it sit the well-known services. */
    static final int LOWEST = 10_000;
    static final int BUS_OFFSET = 10_000;
    /** Linux's default start of the ephemeral range; macOS's (49152) is higher. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int EPHEMERAL_START = readEphemeralStart();

    private FreePorts() {
    }

    static int next() {
        int highest = ephemeralStart() - 1 - BUS_OFFSET;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (isFree(port) && isFree(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair found for a test redis-server");
    }

    /** The first ephemeral port: Linux's {@code ip_local_port_range}, else Linux's default. */
    static int ephemeralStart() {
        return EPHEMERAL_START;
    }

    private static int readEphemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return Math.max(start, LOWEST + BUS_OFFSET + 1_000); // keep room for ports to choose from
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
