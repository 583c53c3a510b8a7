package io.github.jcacheredis.event;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** One registered listener with its filter, built from its configuration's factories. */
final class ListenerRegistration<K, V> implements Closeable {

    private final CacheEntryListenerConfiguration<K, V> configuration;
    private final CacheEntryListener<? super K, ? super V> listener;
    private final CacheEntryEventFilter<? super K, ? super V> filter;
    private final Executor ordered;

    ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration, Executor ordered) {
        this.configuration = configuration;
        this.listener = create(configuration.getCacheEntryListenerFactory(), "listener");
        Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory = configuration.getCacheEntryEventFilterFactory();
        this.filter = filterFactory == null ? null : create(filterFactory, "filter");
        this.ordered = ordered;
    }

    private static <T> T create(Factory<T> factory, String what) {
        if (factory == null) {
            throw new IllegalArgumentException("the listener configuration has no " + what + " factory");
        }
        T created = factory.create();
        if (created == null) {
            throw new IllegalArgumentException("the " + what + " factory created null");
        }
        return created;
    }

    CacheEntryListenerConfiguration<K, V> configuration() {
        return configuration;
    }

    boolean isSynchronous() {
        return configuration.isSynchronous();
    }

    boolean accepts(EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    /** Delivers the events this listener takes; synchronously or in order on its own executor. */
    void deliver(List<EntryEvent<K, V>> events) {
        List<EntryEvent<K, V>> selected = new ArrayList<>(events.size());
        for (EntryEvent<K, V> event : events) {
            if (accepts(event.getEventType())) {
                selected.add(event);
            }
        }
        if (selected.isEmpty()) {
            return;
        }
        if (isSynchronous()) {
            notifyListener(selected);
        } else {
            ordered.execute(() -> notifyListener(selected));
        }
    }

    @SuppressWarnings("unchecked")
    private void notifyListener(List<EntryEvent<K, V>> events) {
        for (EntryEvent<K, V> event : events) {
            if (filter != null && !filter.evaluate((CacheEntryEvent) event)) {
                continue;
            }
            Iterable batch = List.of(event);
            try {
                switch (event.getEventType()) {
                    case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
                    case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
                    case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
                    case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
                    default -> throw new IllegalStateException(event.getEventType().toString());
                }
            } catch (CacheEntryListenerException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheEntryListenerException("listener " + listener.getClass().getName() + " failed on "
                        + event.getEventType() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Object part : new Object[] {listener, filter}) {
            if (part instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
