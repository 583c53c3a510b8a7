package io.github.jcacheredis.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of the provider's own to one Redis node, on which Redis reports every change to
 * the keys under some prefixes (server-assisted client-side caching in broadcasting mode, RESP2):
 * {@code CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX ...}, then {@code SUBSCRIBE
 * __redis__:invalidate}. Redis then sends the keys any client changed, expired or evicted, and a
 * flush notice for FLUSHDB/FLUSHALL. The connection pings every second and counts as lost when
 * nothing came for three: invalidations may have been missed then, which the caller must treat
 * as "trust nothing".
 */
final class TrackingConnection implements AutoCloseable {

    /** The client name the connections carry, so operators (and tests) can tell them apart. */
    static final String CLIENT_NAME = "jcache-redis-tracking";
    static final int PING_MILLIS = 1_000;
    static final String CHANNEL = "__redis__:invalidate";

    /** What Redis reports on the connection. */
    interface Receiver {
        /** A key under one of the prefixes changed. */
        void invalidated(String key);

        /** The database was flushed: every key may have changed. */
        void flushed();

        /** The connection is gone; what happened meanwhile is unknown. Called once. */
        void lost(TrackingConnection connection, Exception cause);
    }

    /** Redis refused tracking (an old server, an ACL): the provider must use another way. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final TrackingEndpoint endpoint;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Receiver receiver;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();

    private TrackingConnection(TrackingEndpoint endpoint, Socket socket, Receiver receiver) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.receiver = receiver;
    }

    /**
     * Opens a connection tracking {@code prefixes}; returns once Redis confirmed the subscription,
     * so every change made after this returns is reported.
     *
     * @throws Refused when the server does not allow tracking
     */
    static TrackingConnection open(TrackingEndpoint endpoint, Collection<String> prefixes, int timeoutMillis,
                                   Receiver receiver) throws IOException {
        Socket socket = endpoint.connect(timeoutMillis);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            TrackingConnection connection = new TrackingConnection(endpoint, socket, receiver);
            connection.handshake(prefixes);
            socket.setSoTimeout(3 * PING_MILLIS);
            Thread reader = new Thread(connection::read, "jcache-redis-tracking-" + endpoint);
            reader.setDaemon(true);
            reader.start();
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(Collection<String> prefixes) throws IOException {
        if (endpoint.password() != null) {
            expectOk(endpoint.username() == null ? call("AUTH", endpoint.password())
                    : call("AUTH", endpoint.username(), endpoint.password()), "AUTH");
        }
        expectOk(call("CLIENT", "SETNAME", CLIENT_NAME), "CLIENT SETNAME");
        Object id = call("CLIENT", "ID");
        if (!(id instanceof Long)) {
            throw new Refused("CLIENT ID answered " + describe(id));
        }
        List<String> tracking = new ArrayList<>(List.of("CLIENT", "TRACKING", "ON", "REDIRECT", id.toString(), "BCAST"));
        for (String prefix : prefixes) {
            tracking.add("PREFIX");
            tracking.add(prefix);
        }
        Object reply = call(tracking.toArray(String[]::new));
        if (!"OK".equals(reply)) {
            throw new Refused("CLIENT TRACKING answered " + describe(reply));
        }
        Object subscribed = call("SUBSCRIBE", CHANNEL);
        if (!(subscribed instanceof List<?> parts) || parts.size() < 2 || !"subscribe".equals(text(parts.get(0)))) {
            throw new IOException("SUBSCRIBE " + CHANNEL + " answered " + describe(subscribed));
        }
    }

    private static void expectOk(Object reply, String command) throws IOException {
        if (!"OK".equals(reply)) {
            throw new IOException(command + " answered " + describe(reply));
        }
    }

    private Object call(String... args) throws IOException {
        send(args);
        return Resp.read(in);
    }

    private void send(String... args) throws IOException {
        synchronized (out) {
            out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write('\r');
                out.write('\n');
            }
            out.flush();
        }
    }

    /** Sends a PING; the reply (or any message) shows the connection is alive. */
    void ping() {
        if (closed.get()) {
            return;
        }
        try {
            send("PING");
        } catch (IOException e) {
            lose(e);
        }
    }

    /** Nanoseconds since the last thing Redis sent on this connection. */
    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    boolean isOpen() {
        return !closed.get();
    }

    private void read() {
        try {
            while (!closed.get()) {
                Object frame = Resp.read(in);
                lastHeardNanos = System.nanoTime();
                if (frame instanceof List<?> parts && parts.size() == 3 && "message".equals(text(parts.get(0)))
                        && CHANNEL.equals(text(parts.get(1)))) {
                    Object keys = parts.get(2);
                    if (keys instanceof List<?> list) {
                        for (Object key : list) {
                            receiver.invalidated(text(key));
                        }
                    } else {
                        receiver.flushed();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            lose(e);
        }
    }

    private void lose(Exception cause) {
        if (closed.compareAndSet(false, true)) {
            closeSocket();
            receiver.lost(this, cause);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSocket();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String describe(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @Override
    public String toString() {
        return "tracking connection to " + endpoint;
    }

    /** The few RESP2 reply types these connections meet. Errors come back as {@link Resp.Error}. */
    static final class Resp {

        record Error(String message) {
            @Override
            public String toString() {
                return message;
            }
        }

        private Resp() {
        }

        static Object read(InputStream in) throws IOException {
            int type = in.read();
            if (type < 0) {
                throw new EOFException("connection closed by the server");
            }
            String line = line(in);
            switch (type) {
                case '+':
                    return line;
                case '-':
                    return new Error(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int length = Integer.parseInt(line);
                    if (length < 0) {
                        return null;
                    }
                    byte[] bytes = in.readNBytes(length);
                    if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
                        throw new EOFException("truncated reply");
                    }
                    return bytes;
                }
                case '*': {
                    int count = Integer.parseInt(line);
                    if (count < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        items.add(read(in));
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type '" + (char) type + "'");
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (c == '\r') {
                    if (in.read() != '\n') {
                        throw new IOException("malformed reply line");
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
        }
    }
}
