package io.github.jcacheredis.store;

import java.util.List;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Runs {@link LuaScript}s by SHA (EVALSHA); when a server does not know the script yet (first use,
 * restart, failover), it is sent in full once, which also caches it there. Failures propagate as
 * Redisson throws them; {@link RedisCalls} decides what they mean.
 */
final class ScriptRunner {

    private final RedissonClient redis;

    ScriptRunner(RedissonClient redis) {
        this.redis = redis;
    }

    List<Object> run(LuaScript script, List<Object> keys, Object[] args) {
        RScript rscript = redis.getScript(ByteArrayCodec.INSTANCE);
        String key = (String) keys.get(0);
        try {
            return rscript.evalSha(key, RScript.Mode.READ_WRITE, script.sha(), RScript.ReturnType.LIST, keys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
        }
        return rscript.eval(key, RScript.Mode.READ_WRITE, script.source(), RScript.ReturnType.LIST, keys, args);
    }

    /** Queues the script in a pipeline; batches send the source, which Redis caches by SHA itself. */
    RFuture<List<Object>> queue(RBatch batch, LuaScript script, List<Object> keys, Object[] args) {
        return batch.getScript(ByteArrayCodec.INSTANCE)
                .evalAsync((String) keys.get(0), RScript.Mode.READ_WRITE, script.source(), RScript.ReturnType.LIST, keys, args);
    }
}
