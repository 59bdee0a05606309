import { describeFaultSuite } from './fault-suite-claims';

/**
 * The fault suite's light run, inside `npm test`: API and worker as separate processes, one
 * worker kill -9 mid-send, Postgres connections terminated and refused under load, an SMTP drop
 * after DATA and fuzzed poison input. `npm run test:faults` runs the full set.
 */
describeFaultSuite('light', 300_000);
