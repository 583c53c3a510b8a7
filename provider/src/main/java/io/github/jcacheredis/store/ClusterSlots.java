package io.github.jcacheredis.store;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key-to-slot mapping (CRC16/XMODEM of the key or of its hash tag, modulo 16384),
 * and for every slot a short tag that hashes to it. A companion key written as
 * {@code ...{tag}...} lands in the same slot as the entry it belongs to, so one script may touch
 * both on a cluster.
 */
final class ClusterSlots {

    static final int SLOTS = 16_384;

    private static final int[] CRC_TABLE = new int[256];
    private static final String[] TAGS = new String[SLOTS];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC_TABLE[i] = crc & 0xFFFF;
        }
        int filled = 0;
        for (int n = 0; filled < SLOTS; n++) {
            String candidate = Integer.toString(n, 36);
            int slot = crc16(candidate.getBytes(StandardCharsets.US_ASCII)) % SLOTS;
            if (TAGS[slot] == null) {
                TAGS[slot] = candidate;
                filled++;
            }
        }
    }

    private ClusterSlots() {
    }

    /** The cluster slot of a key, honouring a non-empty hash tag. */
    static int slot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                byte[] tag = new byte[close - open - 1];
                System.arraycopy(bytes, open + 1, tag, 0, tag.length);
                return crc16(tag) % SLOTS;
            }
        }
        return crc16(bytes) % SLOTS;
    }

    /** A short tag whose slot is {@code slot}. */
    static String tagFor(int slot) {
        return TAGS[slot];
    }

    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 8) ^ (b & 0xFF)) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
