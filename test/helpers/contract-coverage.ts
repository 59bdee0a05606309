import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApiDocument } from '../../src/openapi/document';
import { coverageDirectory, type FileCoverage } from './contract-check';

export interface CoverageSummary {
  testFiles: number;
  responses: number;
  failures: number;
  /** Operations of the document that at least one recorded response exercised. */
  operationsCovered: number;
  operationsDocumented: number;
  /** `GET /api/v1/tickets/{id}` → status → responses seen, over the whole run. */
  operations: Record<string, Record<string, number>>;
  uncovered: string[];
}

/**
 * Adds up the run's per-file coverage (written by each test file's app on close, in whatever
 * order the files ran) into `summary.json` in the same directory, and returns it.
 */
export function summarizeCoverage(runName: string): CoverageSummary | undefined {
  const dir = coverageDirectory(runName);
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'summary.json');
  const operations: CoverageSummary['operations'] = {};
  let responses = 0;
  let failures = 0;
  const testFiles = new Set<string>();
  for (const file of files) {
    const coverage = JSON.parse(readFileSync(join(dir, file), 'utf8')) as FileCoverage;
    testFiles.add(coverage.testFile);
    responses += coverage.responses;
    failures += coverage.failures;
    for (const [name, statuses] of Object.entries(coverage.operations)) {
      const total = (operations[name] ??= {});
      for (const [status, count] of Object.entries(statuses))
        total[status] = (total[status] ?? 0) + count;
    }
  }
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  const documented = Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const summary: CoverageSummary = {
    testFiles: testFiles.size,
    responses,
    failures,
    operationsCovered: documented.filter((op) => operations[op]).length,
    operationsDocumented: documented.length,
    operations,
    uncovered: documented.filter((op) => !operations[op]).sort(),
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/** Removes coverage of runs older than a day, so the temp dir does not fill up. */
export function forgetOldCoverage(now = Date.now()): void {
  const root = dirname(coverageDirectory('any'));
  if (!existsSync(root)) return;
  for (const run of readdirSync(root)) {
    const dir = join(root, run);
    if (now - statSync(dir).mtimeMs > 24 * 3600_000) rmSync(dir, { recursive: true, force: true });
  }
}
