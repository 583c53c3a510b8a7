package io.github.jcacheredis.testsupport;

/**
 * What {@link RedisCluster#failover} did: the replica that became master, the master it replaced,
 * and when ({@link System#nanoTime()}) the failover was asked for and when the harness first saw
 * the roles swapped. A client call in flight between those two moments may fail; one that starts
 * after them meets the new roles only.
 */
public record Failover(RedisServer newMaster, RedisServer oldMaster, long requestedNanos, long rolesSwappedNanos) {
}
