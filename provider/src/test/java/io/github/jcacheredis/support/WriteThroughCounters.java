package io.github.jcacheredis.support;

import java.io.Serializable;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/** Counters in a write-through cache whose writer is a {@link RecordWriter}, for tests in one JVM or two. */
public final class WriteThroughCounters {

    private WriteThroughCounters() {
    }

    public static MutableConfiguration<String, Long> configuration(String host, int port, long writerDelayMillis) {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class).setWriteThrough(true)
                .setCacheWriterFactory(FactoryBuilder.factoryOf(new RecordWriter(host, port, writerDelayMillis)));
    }

    /** Adds one; returns the new count. */
    public static final class Increment implements EntryProcessor<String, Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
            return entry.getValue();
        }
    }
}
