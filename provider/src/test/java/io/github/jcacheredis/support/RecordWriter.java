package io.github.jcacheredis.support;

import io.github.jcacheredis.testsupport.RespClient;
import java.io.Serializable;
import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;

/**
 * A CacheWriter whose system of record is a Redis server of the test's own ({@code record:<key>}),
 * so that instances in different JVMs write through to the same record. Before each write it
 * marks {@code writing:<key>} and then takes {@code delayMillis}, so a test can act while an
 * instance is inside its writer.
 */
public final class RecordWriter implements CacheWriter<String, Object>, Serializable {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final long delayMillis;

    public RecordWriter(String host, int port, long delayMillis) {
        this.host = host;
        this.port = port;
        this.delayMillis = delayMillis;
    }

    @Override
    public void write(Cache.Entry<? extends String, ?> entry) {
        try (RespClient client = new RespClient(host, port)) {
            client.call("SET", "writing:" + entry.getKey(), "1");
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            client.call("SET", "record:" + entry.getKey(), String.valueOf(entry.getValue()));
            client.call("DEL", "writing:" + entry.getKey());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ?>> entries) {
        entries.forEach(this::write);
        entries.clear();
    }

    @Override
    public void delete(Object key) {
        try (RespClient client = new RespClient(host, port)) {
            client.call("DEL", "record:" + key);
        }
    }

    @Override
    public void deleteAll(Collection<?> keys) {
        keys.forEach(this::delete);
        keys.clear();
    }
}
