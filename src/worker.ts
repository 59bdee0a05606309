import { runProcess } from './process-lifecycle';

/** Worker only, for scale-out. */
void runProcess({ api: false, worker: true });
