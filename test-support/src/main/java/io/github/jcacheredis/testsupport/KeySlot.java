package io.github.jcacheredis.testsupport;

import java.nio.charset.StandardCharsets;

/** The cluster slot of a key, computed as Redis does (CRC16/XMODEM of the hash tag or key, mod 16384). */
final class KeySlot {

    private KeySlot() {
    }

    static int of(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                start = key.substring(0, open + 1).getBytes(StandardCharsets.UTF_8).length;
                end = key.substring(0, close).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return crc16(bytes, start, end) % ClusterView.SLOTS;
    }

    private static int crc16(byte[] bytes, int start, int end) {
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
