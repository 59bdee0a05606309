import { formatTable, runFaultSuite, type FaultReport } from './fault-run';

/**
 * What every run of the fault suite must show, light (in `npm test`) or full (`npm run
 * test:faults`): one set of claims, so the two runs cannot drift apart.
 */
export function describeFaultSuite(size: 'light' | 'full', timeoutMs: number): void {
  let report: FaultReport;

  beforeAll(async () => {
    report = await runFaultSuite(size);
    process.stdout.write(`\nFault suite (${size})\n${formatTable(report.rows)}\n`);
    if (report.failures.length)
      process.stdout.write(
        `5xx seen:\n${report.failures.join('\n')}\n${report.apiLog.join('\n')}\n`,
      );
  }, timeoutMs);

  describe(`the fault suite (${size})`, () => {
    it('when faults are injected, then nothing acknowledged is lost', () => {
      for (const row of report.rows)
        expect({ experiment: row.experiment, lost: row.lost }).toEqual({
          experiment: row.experiment,
          lost: 0,
        });
    });

    it('when a worker crashes, then at most the one email in flight is repeated per crash', () => {
      for (const row of report.rows)
        expect(row.duplicated).toBeLessThanOrEqual(row.allowedDuplicates);
    });

    it('when input is bad or the database is out, then nothing answers 500 (503 is the answer to an outage)', () => {
      for (const row of report.rows)
        expect({ experiment: row.experiment, fiveXx: row.fiveXx }).toEqual({
          experiment: row.experiment,
          fiveXx: 0,
        });
    });

    it("when workers crash and restart, then each customer still receives a ticket's emails in order", () => {
      expect(report.orderKept).toBe(true);
    });
  });
}
