package io.github.jcacheredis.testsupport;

import java.util.List;

/**
 * A server's slow log set to keep every command with its arguments, the commands scripts run
 * included: what a test reads to tell which commands reached Redis, and how often.
 */
public final class SlowLog {

    private SlowLog() {
    }

    /** Makes {@code server} log every command, up to 100,000 of them. */
    public static void keepEveryCommand(RedisServer server) {
        server.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        server.call("CONFIG", "SET", "slowlog-max-len", "100000");
    }

    /** The commands {@code server} has logged, newest first. */
    public static List<Entry> entries(RedisServer server) {
        List<?> entries = (List<?>) server.call("SLOWLOG", "GET", "100000");
        return entries.stream().map(entry -> (List<?>) entry).map(entry -> new Entry(
                ((List<?>) entry.get(3)).stream().map(String::valueOf).toList(), String.valueOf(entry.get(4)))).toList();
    }

    /** How many commands naming {@code key} clients sent to {@code server} (not those scripts ran). */
    public static long timesReceived(RedisServer server, String key) {
        return entries(server).stream().filter(entry -> !entry.inScript() && entry.args().contains(key)).count();
    }

    /** How many SETs of {@code key} {@code server} ran, alone or inside a script. */
    public static long setsRun(RedisServer server, String key) {
        return entries(server).stream().filter(entry -> entry.args().size() > 1 && entry.is("SET")
                && key.equals(entry.args().get(1))).count();
    }

    /** A command the server ran: its arguments, and the client that sent it ({@code ?:0} inside a script). */
    public record Entry(List<String> args, String client) {

        public boolean inScript() {
            return client.equals("?:0");
        }

        /** True when the command is {@code command} (any case). */
        public boolean is(String command) {
            return !args.isEmpty() && command.equalsIgnoreCase(args.get(0));
        }
    }
}
