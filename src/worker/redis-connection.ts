import { Redis } from 'ioredis';

/**
 * Redis connections. Workers block on Redis and must retry forever (BullMQ requires
 * maxRetriesPerRequest: null); producers and health checks fail fast instead of queueing
 * commands while Redis is down.
 */
export function createWorkerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

export function createProducerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}
