package io.github.jcacheredis.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry event as published by a write script for other instances: its kind, the origin id of
 * the instance that wrote, the encoded key, and the old and new value bytes when carried.
 * On the wire each part is {@code <length>:<bytes>}, in that order.
 */
public record EventMessage(char kind, String origin, String encodedKey, byte[] oldValue, byte[] newValue) {

    public static final char CREATED = 'c';
    public static final char UPDATED = 'u';
    public static final char REMOVED = 'r';
    public static final char EXPIRED = 'x';
    /** The cache was cleared: local tiers drop everything; listeners are told nothing. */
    public static final char CLEARED = 'z';
    /**
     * An entry was deleted outside any operation (a recovery undoing a write that may have been
     * missed): local tiers drop it; listeners are told nothing.
     */
    public static final char INVALIDATED = 'i';
    /**
     * An instance checks that it is subscribed: only the instance it comes from acts on it, when it
     * comes back (the key part carries a number of its own).
     */
    public static final char PROBE = 'p';

    /** The id of the instance that wrote, without the number of the write. */
    public String originInstance() {
        int slash = origin.indexOf('/');
        return slash < 0 ? origin : origin.substring(0, slash);
    }

    /** The number of the write on its instance ({@link WriteTickets}), 0 when it has none. */
    public long writeId() {
        int slash = origin.indexOf('/');
        if (slash < 0) {
            return 0;
        }
        try {
            return Long.parseLong(origin.substring(slash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A message of three parts (no values), as Java publishes it. */
    public static byte[] encode(char kind, String origin, String encodedKey) {
        StringBuilder message = new StringBuilder();
        for (String part : new String[] {String.valueOf(kind), origin, encodedKey}) {
            message.append(part.getBytes(StandardCharsets.UTF_8).length).append(':').append(part);
        }
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a message; throws IllegalArgumentException when it is not one. */
    public static EventMessage parse(byte[] message) {
        List<byte[]> parts = new ArrayList<>(7);
        int i = 0;
        while (i < message.length) {
            int colon = i;
            while (colon < message.length && message[colon] != ':') {
                colon++;
            }
            if (colon == message.length) {
                throw new IllegalArgumentException("not an event message");
            }
            int length = Integer.parseInt(new String(message, i, colon - i, StandardCharsets.US_ASCII));
            int start = colon + 1;
            if (start + length > message.length) {
                throw new IllegalArgumentException("truncated event message");
            }
            byte[] part = new byte[length];
            System.arraycopy(message, start, part, 0, length);
            parts.add(part);
            i = start + length;
        }
        if (parts.size() != 3 && parts.size() != 7) {
            throw new IllegalArgumentException("an event message has 3 or 7 parts, not " + parts.size());
        }
        char kind = (char) parts.get(0)[0];
        String origin = new String(parts.get(1), StandardCharsets.UTF_8);
        String encodedKey = new String(parts.get(2), StandardCharsets.UTF_8);
        if (parts.size() == 3) {
            return new EventMessage(kind, origin, encodedKey, null, null);
        }
        byte[] oldValue = parts.get(5)[0] == '1' ? parts.get(3) : null;
        byte[] newValue = parts.get(6)[0] == '1' ? parts.get(4) : null;
        return new EventMessage(kind, origin, encodedKey, oldValue, newValue);
    }
}
