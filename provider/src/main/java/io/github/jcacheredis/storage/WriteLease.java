package io.github.jcacheredis.storage;

/**
 * The write lease of one entry, held by this instance, with the value the entry held when it was
 * taken (caches with a CacheWriter: the writer is called under it). A write fenced by it
 * ({@link Mutation#fencedBy}) applies only while it is still held, and releases it.
 */
public interface WriteLease {

    /** The encoded key of the entry. */
    String encodedKey();

    /** The entry's value when the lease was taken, null when absent. */
    byte[] current();
}
