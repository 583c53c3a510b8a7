package io.github.jcacheredis.event;

/**
 * A message on a namespace's control channel: {@code L|request|origin|mask|deadline|prefix} (an
 * instance listens, mask 0 meaning it stopped), {@code A|request|origin} (a confirmation) or
 * {@code P|request|origin} (a probe, which only its sender acts upon when it comes back). The
 * cache prefix is last because it may contain any character.
 */
record ControlMessage(char type, String request, String origin, int mask, long deadline, String prefix) {

    static final char LISTEN = 'L';
    static final char ACK = 'A';
    static final char PROBE = 'P';

    static String listen(String request, String origin, int mask, long deadline, String prefix) {
        return "L|" + request + "|" + origin + "|" + mask + "|" + deadline + "|" + prefix;
    }

    static String ack(String request, String origin) {
        return "A|" + request + "|" + origin;
    }

    static String probe(String request, String origin) {
        return "P|" + request + "|" + origin;
    }

    boolean isAck() {
        return type == ACK;
    }

    boolean isProbe() {
        return type == PROBE;
    }

    static ControlMessage parse(String text) {
        if (text.startsWith("A|") || text.startsWith("P|")) {
            String[] parts = text.split("\\|", 3);
            return new ControlMessage(text.charAt(0), parts[1], parts[2], 0, 0, "");
        }
        if (text.startsWith("L|")) {
            String[] parts = text.split("\\|", 6);
            return new ControlMessage(LISTEN, parts[1], parts[2], Integer.parseInt(parts[3]), Long.parseLong(parts[4]),
                    parts[5]);
        }
        throw new IllegalArgumentException("unknown control message");
    }

    /** The lease deadline in a registry value {@code mask|deadline}. */
    static long deadlineOf(String registryValue) {
        int bar = registryValue.indexOf('|');
        try {
            return Long.parseLong(registryValue.substring(bar + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The event-type mask in a registry value {@code mask|deadline}. */
    static int maskOf(String registryValue) {
        int bar = registryValue.indexOf('|');
        try {
            return Integer.parseInt(registryValue.substring(0, bar));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
