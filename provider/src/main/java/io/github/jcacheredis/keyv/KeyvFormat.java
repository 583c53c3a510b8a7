package io.github.jcacheredis.keyv;

import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import java.util.function.LongSupplier;
import javax.cache.CacheException;

/**
 * The entry format of {@code @keyv/redis} (keyv 5), for caches shared with Node.js services that
 * use keyv or cache-manager on the same Redis. A cache is the Keyv namespace of its name: entry
 * {@code <cache>::<cache>:<key>} holds {@code {"value":<json>}}, plus {@code "expires":<epoch ms>}
 * and a matching native TTL when the write sets one. Values are plain JSON without type ids,
 * strings that start with {@code :} get one more in front and byte arrays are
 * {@code ":base64:<data>"}, as {@code @keyv/serialize} writes them.
 *
 * <p>What keyv's layout cannot carry is refused when the cache is created, with a message that
 * says what to use instead: keys other than strings (and Long or Integer, in decimal), expiry
 * policies whose TTL a write cannot know before it is made or that reads change (keyv keeps the
 * expiry time inside the value), and near caches (they would not see Node.js writes).
 */
public final class KeyvFormat {

    private KeyvFormat() {
    }

    /**
     * The codecs of one cache in keyv's format.
     *
     * @throws CacheException when the cache's configuration cannot be stored the way keyv does
     */
    public static Codecs codecs(String cacheName, Class<?> keyType, Class<?> valueType, ExpiryDecisions expiry,
                                boolean nearCache, ClassLoader classLoader) {
        return codecs(cacheName, keyType, valueType, expiry, nearCache, classLoader, System::currentTimeMillis);
    }

    static Codecs codecs(String cacheName, Class<?> keyType, Class<?> valueType, ExpiryDecisions expiry,
                         boolean nearCache, ClassLoader classLoader, LongSupplier clock) {
        if (nearCache) {
            throw new CacheException("Cache[" + cacheName + "] uses format=keyv, whose entries Node.js services"
                    + " write too, and a near cache would not see their writes: turn the near cache off for it"
                    + " (RedisCacheConfiguration.withoutNearCache(), or no near-cache setting on the manager)");
        }
        long ttl = KeyvExpiry.ttlMillis(cacheName, expiry);
        return new Codecs(KeyvKeys.forType(cacheName, keyType),
                new KeyvValueCodec(cacheName, valueType, Codecs.mapperWithoutTypeIds(classLoader), ttl, clock));
    }
}
