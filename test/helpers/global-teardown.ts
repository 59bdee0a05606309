import { Redis } from 'ioredis';
import { deleteKeys, dropDatabase } from './cleanup';
import { forgetOldCoverage, summarizeCoverage } from './contract-coverage';
import { coverageDirectory } from './contract-check';
import { redisUrl, TEST_DATABASE_URL_VAR, TEST_QUEUE_PREFIX_VAR } from './test-environment';

/** Drops this run's database and deletes this run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  reportContractCoverage();
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

/** Prints how much of the OpenAPI document this run's real responses were checked against. */
function reportContractCoverage(): void {
  const run = process.env[TEST_QUEUE_PREFIX_VAR];
  if (!run) return;
  const summary = summarizeCoverage(run);
  forgetOldCoverage();
  if (!summary) return;
  console.log(
    `\nOpenAPI response check: ${summary.responses} responses from ${summary.testFiles} test files, ` +
      `${summary.operationsCovered} of ${summary.operationsDocumented} operations covered, ` +
      `${summary.failures} mismatch(es); ${coverageDirectory(run)}/summary.json`,
  );
}
