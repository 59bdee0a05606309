import { Redis } from 'ioredis';
import { deleteKeys, dropDatabase } from './cleanup';
import { redisUrl, TEST_DATABASE_URL_VAR, TEST_QUEUE_PREFIX_VAR } from './test-environment';

/** Drops this run's database and deletes this run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env[TEST_DATABASE_URL_VAR];
  if (url) await dropDatabase(url);
  const prefix = process.env[TEST_QUEUE_PREFIX_VAR];
  if (prefix) {
    const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await deleteKeys(redis, prefix);
    } finally {
      redis.disconnect();
    }
  }
}
