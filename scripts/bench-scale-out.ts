/**
 * Scale-out proof: 1 API + 1 worker process, then 2 API + 2 worker processes (dist/src/api.js and
 * worker.js, started here) on one Postgres and one Redis. In each layout: intake creates/s (the
 * client spreads requests round robin over the API ports), `--deadlines` first-response deadlines
 * falling due during the run (each must be enforced exactly once) and every email (acknowledgements
 * and holding updates) delivered once to an SMTP sink, per-ticket order kept.
 * Run: npm run bench:scale-out [-- --deadlines 2000 --seconds 20 --concurrency 16]
 */
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { generateToken, hashToken } from '../src/agents/tokens';
import {
  createBenchEnvironment,
  insertOpenTickets,
  mib,
  numberArgument,
  progress,
  seedTeam,
} from './bench/bench-environment';
import { emitResult, HttpLoad, type RequestSpec } from './bench/http-load';
import { load, startOwnit, type OwnitProcess } from './bench/ownit-processes';

interface Arrival {
  messageId: string;
  seq: number;
}

async function main(): Promise<void> {
  const deadlines = numberArgument('deadlines', 2_000);
  const seconds = numberArgument('seconds', 20);
  const concurrency = numberArgument('concurrency', 16);
  const loadStart = load();
  const env = await createBenchEnvironment('scaleout', 4);
  let arrivals: Arrival[] = [];
  let seq = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const match = /^Message-ID:\s*(<[^>]+>)/im.exec(head);
        arrivals.push({ messageId: match?.[1] ?? `(none ${seq})`, seq: seq++ });
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const address = sink.server.address();
  const smtpPort = typeof address === 'object' && address ? address.port : 0;
  const linkSecret = randomBytes(32).toString('base64url');
  const integrationToken = generateToken();
  await env.dataSource.query(
    `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
     VALUES ('Bench Web Form', 'webform@bench.invalid', 'integration', NULL, 0, $1)`,
    [hashToken(integrationToken)],
  );
  const layouts: Record<string, unknown> = {};
  try {
    for (const count of [1, 2]) {
      const label = `${count} API + ${count} worker`;
      arrivals = [];
      const seeded = await seedTeam(
        env.dataSource,
        { warnBeforeMinutes: 0, reescalateAfterMinutes: 600, autoHoldingUpdate: true, tiers: {} },
        20,
      );
      // Due from 15 s after the processes start, spread over the intake run.
      const firstDue = new Date(Date.now() + 25_000);
      await insertOpenTickets(env.dataSource, seeded, deadlines, firstDue, seconds * 1000, {
        warnBeforeMs: null,
      });
      const options = {
        databaseUrl: env.databaseUrl,
        redisUrl: env.redisUrl,
        queuePrefix: env.queuePrefix,
        smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
        linkSecret,
        env: { ADMIN_TOKEN: `oit_${randomBytes(24).toString('hex')}` },
      };
      const processes: OwnitProcess[] = [];
      for (let i = 0; i < count; i++) processes.push(await startOwnit('worker', options));
      for (let i = 0; i < count; i++) {
        processes.push(
          await startOwnit('api', {
            ...options,
            env: { ...options.env, DATABASE_POOL_SIZE: String(20 / count) },
          }),
        );
      }
      const ports = processes.filter((p) => p.kind === 'api').map((p) => p.port);
      const http = new HttpLoad(ports, 64);
      let n = 0;
      const spec = (): RequestSpec => ({
        method: 'POST',
        path: '/api/v1/tickets',
        token: integrationToken,
        body: {
          customerId: seeded.customerId,
          subject: `Scale-out concern ${n++}`,
          description: 'Arrives while deadlines fall due.',
          channel: 'web',
          teamId: seeded.teamId,
        },
        expect: 201,
      });
      const wait = firstDue.getTime() - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      progress(`${label}: intake c=${concurrency} for ${seconds} s while deadlines fall due`);
      const intake = await http.closedLoop(spec, concurrency, seconds);
      http.close();
      progress(
        `${label}: ${intake.perSecond} creates/s (p99 ${intake.p99Ms} ms, errors ${intake.errors})`,
      );

      // Wait until every deadline is enforced and the outbox is empty.
      const until = Date.now() + 300_000;
      let breached = 0;
      let pending = 0;
      for (;;) {
        [{ breached, pending }] = await env.dataSource.query(
          `SELECT (SELECT count(*)::int FROM deadline_actions d JOIN tickets t ON t.id = d.ticket_id
                    WHERE t.team_id = $1 AND d.step = 'breached') AS breached,
                  (SELECT count(*)::int FROM outbox_emails WHERE status IN ('pending', 'sending')) AS pending`,
          [seeded.teamId],
        );
        if (breached >= deadlines && pending === 0) break;
        if (Date.now() > until) break;
        process.stderr.write(`\r  ${breached}/${deadlines} breaches, ${pending} emails pending   `);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      process.stderr.write('\n');
      const rss: Record<string, string> = {};
      for (const [i, p] of processes.entries()) {
        rss[`${p.kind}${i}`] = mib((await p.stop()).peakRssBytes);
      }
      const [actions] = await env.dataSource.query(
        `SELECT count(*)::int AS total, count(DISTINCT d.ticket_id)::int AS tickets
           FROM deadline_actions d JOIN tickets t ON t.id = d.ticket_id
          WHERE t.team_id = $1 AND d.step = 'breached'`,
        [seeded.teamId],
      );
      const sent: Array<{
        message_id: string;
        ticket_id: string;
        queue_position: string;
        customer_id: string | null;
      }> = await env.dataSource.query(
        `SELECT o.message_id, o.ticket_id, o.queue_position, o.customer_id FROM outbox_emails o
             JOIN tickets t ON t.id = o.ticket_id
            WHERE t.team_id = $1 AND o.status = 'sent'`,
        [seeded.teamId],
      );
      const arrivalsById = new Map<string, number[]>();
      for (const a of arrivals) {
        arrivalsById.set(a.messageId, [...(arrivalsById.get(a.messageId) ?? []), a.seq]);
      }
      const repeated = [...arrivalsById.values()].filter((s) => s.length > 1).length;
      const missing = sent.filter((e) => !arrivalsById.has(e.message_id)).length;
      // Per-ticket order: the sink saw each ticket's customer emails in the order queued.
      const byTicket = new Map<string, typeof sent>();
      for (const e of sent) {
        if (e.customer_id) byTicket.set(e.ticket_id, [...(byTicket.get(e.ticket_id) ?? []), e]);
      }
      let multi = 0;
      let outOfOrder = 0;
      for (const list of byTicket.values()) {
        if (list.length < 2) continue;
        multi += 1;
        const queued = [...list].sort(
          (a, b) => Number(a.queue_position) - Number(b.queue_position),
        );
        const seen = queued.map((e) => arrivalsById.get(e.message_id)?.[0] ?? -1);
        if (seen.some((s, i) => i > 0 && s < seen[i - 1]!)) outOfOrder += 1;
      }
      layouts[label] = {
        intake,
        deadlines,
        breachesRecorded: actions.total,
        ticketsBreached: actions.tickets,
        enforcedTwice: actions.total - actions.tickets,
        notEnforced: deadlines - actions.tickets,
        emailsSent: sent.length,
        emailsAtSink: arrivals.length,
        sentTwice: repeated,
        sentButNotAtSink: missing,
        ticketsWithSeveralCustomerEmails: multi,
        ticketsOutOfOrder: outOfOrder,
        emailsLeftPending: pending,
        peakRss: rss,
      };
      progress(
        `${label}: ${actions.tickets}/${deadlines} deadlines enforced (${actions.total - actions.tickets} twice); ` +
          `${sent.length} emails sent, ${arrivals.length} at the sink, ${repeated} twice, ${outOfOrder} tickets out of order`,
      );
    }
    const result = { layouts, load: { start: loadStart, end: load() } };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
  } finally {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
