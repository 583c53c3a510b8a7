package io.github.jcacheredis.benchmarks;

/**
 * A benchmark's target together with the Redis it runs on, opened in a JMH setup and closed in its
 * teardown: the target first (it removes what it wrote), then the Redis lease.
 */
record LeasedTarget(RedisEndpoint.Lease redis, Target target) implements AutoCloseable {

    static LeasedTarget open(String name) {
        RedisEndpoint.Lease redis = RedisEndpoint.acquire();
        try {
            return new LeasedTarget(redis, Target.open(name, redis.endpoint()));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            redis.close();
        }
    }
}
