import { Client } from 'pg';
import { Redis } from 'ioredis';
import {
  redisUrl,
  serverUrl,
  TEST_DATABASE_URL_VAR,
  TEST_QUEUE_PREFIX_VAR,
} from './test-environment';

/** Drops this run's database and deletes this run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env[TEST_DATABASE_URL_VAR];
  if (url) {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    const client = new Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const prefix = process.env[TEST_QUEUE_PREFIX_VAR];
  if (prefix) {
    const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
