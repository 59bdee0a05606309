import { runProcess } from './process-lifecycle';

/** API only, for scale-out: run any number of these against one Postgres and Redis. */
void runProcess({ api: true, worker: false });
