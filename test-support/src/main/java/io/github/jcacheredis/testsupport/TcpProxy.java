package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a server, for faults of the network path between one client
 * and the server while the server itself runs on: a request that reaches the server late, a reply
 * that reaches the client late, connections cut, and new connections refused. Point the client
 * under test at {@link #uri()}; other clients keep talking to the server directly.
 *
 * <p>Faults pick their connection by a marker, bytes that a request on it contains (a key, a
 * command name): the proxy knows nothing of the protocol. A held direction of a connection stops
 * forwarding, as a stalled network path would, until the hold is released; the other direction
 * and all other connections keep flowing.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Hold> armed = new CopyOnWriteArrayList<>();
    /** Holds placed on connections already open, released when the proxy closes. */
    private final List<Hold> placed = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean closed;
    private volatile CountDownLatch frozen = new CountDownLatch(0);

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy that forwards to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a proxy to " + host + ":" + port, e);
        }
    }

    /** A proxy in front of {@code server}. */
    public static TcpProxy inFrontOf(RedisServer server) {
        return start(server.host(), server.port());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code redis://127.0.0.1:<proxy port>}. */
    public String uri() {
        return "redis://" + listener.getInetAddress().getHostAddress() + ":" + port();
    }

    /**
     * Holds the next request that contains {@code marker}: the bytes read with it, and everything the
     * client sends on that connection after them, reach the server only once the hold is released.
     */
    public Hold holdRequest(String marker) {
        return arm(new Hold(marker, Direction.REQUESTS));
    }

    /**
     * Holds the reply to the next request that contains {@code marker}: the request reaches the
     * server at once, but what the server sends back on that connection from then on reaches the
     * client only once the hold is released.
     */
    public Hold holdReply(String marker) {
        return arm(new Hold(marker, Direction.REPLIES));
    }

    /**
     * Holds, from now on, what the server sends on every open connection on which a request
     * contained {@code marker}: the connections stay open and their requests reach the server, but
     * their replies (and anything else the server pushes on them) wait in the proxy until the
     * hold is released. Connections opened later are not held.
     */
    public Hold holdRepliesOf(String marker) {
        Hold hold = new Hold(marker, Direction.REPLIES);
        int caught = 0;
        for (Link link : links) {
            if (!link.closed && link.sawMarker(marker)) {
                link.replyHold = hold;
                caught++;
            }
        }
        if (caught == 0) {
            throw new IllegalStateException("no open connection sent '" + marker + "'");
        }
        placed.add(hold);
        return hold;
    }

    /** Cuts every connection on which a request contained {@code marker}; returns how many. */
    public int cut(String marker) {
        int count = 0;
        for (Link link : links) {
            if (link.sawMarker(marker)) {
                link.close();
                count++;
            }
        }
        return count;
    }

    /** While true, new connections are accepted and closed at once, as a server that refuses clients. */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * Stops forwarding on every connection, both ways, as a network path that goes silent without
     * closing anything: bytes wait in the proxy until {@link #thaw()}. New connections are accepted
     * and wait the same way.
     */
    public void freeze() {
        if (frozen.getCount() == 0) {
            frozen = new CountDownLatch(1);
        }
    }

    /** Forwards again what {@link #freeze()} held, and everything after it. */
    public void thaw() {
        frozen.countDown();
    }

    /** How many connections are open through the proxy now. */
    public int openConnections() {
        return (int) links.stream().filter(link -> !link.closed).count();
    }

    private Hold arm(Hold hold) {
        armed.add(hold);
        return hold;
    }

    /**
     * The armed hold that the request bytes just read trigger, if any (each triggers once):
     * {@code window} is the tail of what was read before plus the new bytes, which begin at
     * {@code fresh}; only a marker that ends in the new bytes counts, so that a request already
     * forwarded does not trigger a hold armed after it.
     */
    private Hold trigger(Link link, byte[] window, int fresh) {
        for (Hold hold : armed) {
            if (indexOf(window, hold.marker, Math.max(0, fresh - hold.marker.length + 1)) >= 0
                    && armed.remove(hold)) {
                hold.link = link;
                return hold;
            }
        }
        return null;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(target, 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        closeQuietly(listener);
        armed.forEach(Hold::release);
        placed.forEach(Hold::release);
        links.forEach(Link::close);
    }

    static int indexOf(byte[] data, byte[] marker) {
        return indexOf(data, marker, 0);
    }

    /** The first index at or after {@code from} where {@code marker} occurs in {@code data}, or -1. */
    static int indexOf(byte[] data, byte[] marker, int from) {
        outer:
        for (int i = from; i <= data.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }

    private enum Direction { REQUESTS, REPLIES }

    /** One armed fault: the connection it caught, and whether bytes wait behind it. */
    public static final class Hold {
        private final byte[] marker;
        private final Direction direction;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Link link;

        private Hold(String marker, Direction direction) {
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
            this.direction = direction;
        }

        /**
         * Returns once bytes are being held: the request itself, or (for a reply hold) the first reply
         * bytes the server sent after the request. Fails after {@code timeout}.
         */
        public void awaitHeld(Duration timeout) {
            try {
                if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("nothing was held for marker '"
                            + new String(marker, StandardCharsets.UTF_8) + "' within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a hold", e);
            }
        }

        public boolean isHolding() {
            return held.getCount() == 0 && released.getCount() == 1;
        }

        /** Lets the held bytes, and everything behind them, through. */
        public void release() {
            released.countDown();
        }

        private void block() {
            held.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A client connection and its connection to the server, pumped by a thread each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final List<byte[]> seen = new CopyOnWriteArrayList<>();
        private volatile Hold replyHold;
        private volatile boolean closed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            thread(this::pumpRequests, "up").start();
            thread(this::pumpReplies, "down").start();
        }

        private Thread thread(Runnable pump, String direction) {
            Thread thread = new Thread(pump, "tcp-proxy-" + client.getPort() + "-" + direction);
            thread.setDaemon(true);
            return thread;
        }

        boolean sawMarker(String marker) {
            byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
            return seen.stream().anyMatch(chunk -> indexOf(chunk, bytes) >= 0);
        }

        private void pumpRequests() {
            byte[] tail = new byte[0];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    byte[] chunk = Arrays.copyOf(buffer, read);
                    // the tail of the previous chunk, so that a marker split across reads is found
                    byte[] window = concat(tail, chunk);
                    remember(window);
                    Hold hold = trigger(this, window, tail.length);
                    if (hold != null && hold.direction == Direction.REPLIES) {
                        replyHold = hold;
                    } else if (hold != null) {
                        hold.block();
                    }
                    passFrozen();
                    out.write(chunk);
                    out.flush();
                    tail = Arrays.copyOfRange(window, Math.max(0, window.length - 256), window.length);
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                close();
            }
        }

        private void pumpReplies() {
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    Hold hold = replyHold;
                    if (hold != null) {
                        hold.block();
                        replyHold = null;
                    }
                    passFrozen();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                close();
            }
        }

        /** Waits while the proxy is frozen. */
        private void passFrozen() {
            try {
                frozen.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void remember(byte[] window) {
            // enough to recognise a connection later by what it sent, without keeping everything
            if (seen.size() < 64) {
                seen.add(window);
            } else {
                seen.set(seen.size() - 1, window);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
