import { SMTPServer } from 'smtp-server';
import { generateToken, hashToken } from '../../src/agents/tokens';
import type { BenchEnvironment, SeededTeam } from './bench-environment';
import { progress } from './bench-environment';
import { HttpLoad, summarise, type LoadResult, type RequestSpec } from './http-load';
import { startOwnit, type OwnitProcess } from './ownit-processes';

/**
 * The production shape around a deadline herd: a worker process (enforcing, and sending the
 * herd's emails to a local SMTP sink), an API process taking integration creates at a fixed
 * rate (open loop) while reps read their queues one request after another.
 */
export interface HerdLoad {
  api: OwnitProcess;
  worker: OwnitProcess;
  /** Stops the load and the processes; the figures of the load while it ran. */
  stop(): Promise<{
    queue: LoadResult;
    creates: LoadResult;
    emailsAtSink: number;
    apiPeakRss: number;
    workerPeakRss: number;
  }>;
}

export async function startHerdLoad(
  env: BenchEnvironment,
  seeded: SeededTeam,
  intakeRate: number,
): Promise<HerdLoad> {
  let emailsAtSink = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        emailsAtSink += 1;
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const address = sink.server.address();
  const smtpPort = typeof address === 'object' && address ? address.port : 0;

  const repTokens = seeded.repIds.map(() => generateToken());
  await env.dataSource.query(
    `UPDATE agents a SET token_hash = v.hash FROM unnest($1::uuid[], $2::text[]) AS v(id, hash) WHERE a.id = v.id`,
    [seeded.repIds, repTokens.map(hashToken)],
  );
  const integrationToken = generateToken();
  await env.dataSource.query(
    `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
     VALUES ('Bench Web Form', 'webform@bench.invalid', 'integration', NULL, 0, $1)`,
    [hashToken(integrationToken)],
  );
  const options = {
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    queuePrefix: env.queuePrefix,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
  };
  const api = await startOwnit('api', options);
  const worker = await startOwnit('worker', options);
  const http = new HttpLoad([api.port], 64);
  let n = 0;
  const createSpec = (): RequestSpec => ({
    method: 'POST',
    path: '/api/v1/tickets',
    token: integrationToken,
    body: {
      customerId: seeded.customerId,
      subject: `Concern arriving during the herd ${n++}`,
      description: 'Arrives while deadlines fall due.',
      channel: 'web',
      teamId: seeded.teamId,
    },
    expect: 201,
  });
  const queueSpec = (): RequestSpec => ({
    method: 'GET',
    path: '/api/v1/me/queue',
    token: repTokens[Math.floor(Math.random() * repTokens.length)]!,
    expect: 200,
  });

  let done = false;
  const creating = http.openLoop(createSpec, intakeRate, 3_600, () => done);
  const reading = (async () => {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const started = performance.now();
    while (!done) {
      const r = await http.send(queueSpec);
      if (r.error) {
        errors += 1;
        firstError ??= r.error;
      } else latencies.push(r.ms);
    }
    return summarise(latencies, errors, (performance.now() - started) / 1000, firstError);
  })();
  progress(`load running: creates at ${intakeRate}/s, queue reads one after another`);

  return {
    api,
    worker,
    async stop() {
      done = true;
      const [creates, queue] = await Promise.all([creating, reading]);
      http.close();
      const [apiStopped, workerStopped] = await Promise.all([api.stop(), worker.stop()]);
      await new Promise<void>((resolve) => sink.close(() => resolve()));
      return {
        queue,
        creates,
        emailsAtSink,
        apiPeakRss: apiStopped.peakRssBytes,
        workerPeakRss: workerStopped.peakRssBytes,
      };
    },
  };
}
