// One keyv operation, as a Node.js service sharing a cache with the Java side would make it:
//   node keyv-cli.mjs <redis-url> <namespace> set <key> <json> [ttl-ms]
//   node keyv-cli.mjs <redis-url> <namespace> get <key>
// In <json>, {"$date": "<ISO-8601>"} stands for a JavaScript Date. "get" prints
// {"found": true|false, "value": ..., "types": {...}} with the typeof of each top-level property.
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';

const [url, namespace, op, key, json, ttl] = process.argv.slice(2);
const store = new KeyvRedis(url);
const keyv = new Keyv({ store, namespace });
keyv.on('error', (error) => {
  console.error(error);
  process.exit(2);
});

const revive = (_, value) => (value && typeof value === 'object' && '$date' in value ? new Date(value.$date) : value);

try {
  if (op === 'set') {
    await keyv.set(key, JSON.parse(json, revive), ttl === undefined ? undefined : Number(ttl));
    console.log(JSON.stringify({ ok: true }));
  } else if (op === 'get') {
    const value = await keyv.get(key);
    const types = value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v])) : {};
    console.log(JSON.stringify({ found: value !== undefined, value, types }));
  } else {
    throw new Error(`unknown operation ${op}`);
  }
} finally {
  await store.disconnect();
}
