import { runProcess } from './process-lifecycle';

/** Single-machine install: API and worker in one process. */
void runProcess({ api: true, worker: true });
