import { describeFaultSuite } from './fault-suite-claims';

/**
 * The full fault suite (`npm run test:faults`): three worker kills mid-send, Postgres
 * connections terminated and refused under load, SMTP dropping after DATA, answering after 35 s
 * and absent for 20 s, deadline breaches through a Redis flush and a kill -9, and 1,000 fuzzed
 * requests. Prints the table that docs/reliability.md reports.
 */
describeFaultSuite('full', 20 * 60_000);
