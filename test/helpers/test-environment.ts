import { randomBytes } from 'node:crypto';
import { withDefaultUser } from '../../src/db/connection-url';

/**
 * Every test run gets its own database and its own Redis key prefix, named here once in global
 * setup and handed to the test workers through the environment, so runs never share leftovers.
 */
export const TEST_DATABASE_URL_VAR = 'OWNIT_TEST_DATABASE_URL';
export const TEST_QUEUE_PREFIX_VAR = 'OWNIT_TEST_QUEUE_PREFIX';

export function serverUrl(): string {
  return withDefaultUser(process.env.TEST_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/postgres');
}

export function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export function newRunName(): string {
  return `ownit_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function testDatabaseUrl(): string {
  const url = process.env[TEST_DATABASE_URL_VAR];
  if (!url)
    throw new Error('Run the tests with `npm test`: the global setup creates the test database.');
  return url;
}

export function testQueuePrefix(): string {
  return process.env[TEST_QUEUE_PREFIX_VAR] ?? 'ownit-test';
}
