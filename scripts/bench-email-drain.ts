/**
 * Benchmark: drain 10,000 outbox rows to a local SMTP sink through the real delivery path
 * (claim with SKIP LOCKED, render, send over one pooled nodemailer transport, mark sent).
 * Reports emails per second, next to bare nodemailer sending as many messages of the same size
 * through the same kind of pool (5 connections) to the same sink, `parallel` in flight.
 * Run: npm run bench:email [-- --emails 10000 --parallel 10]
 */
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { DEFAULT_DELIVERY, drainOutbox } from '../src/notifications/deliver-outbox';
import { createSmtpMailer } from '../src/notifications/mailer';
import {
  bar,
  createBenchEnvironment,
  progress,
  seedTeam,
  numberArgument,
  mib,
} from './bench/bench-environment';
import { countStatements } from './bench/capture-statements';
import { emitResult } from './bench/http-load';
import { load } from './bench/ownit-processes';

async function main(): Promise<void> {
  const emails = numberArgument('emails', 10_000);
  const parallel = numberArgument('parallel', 10);
  const loadStart = load();
  let bytesReceived = 0;
  const env = await createBenchEnvironment('email', parallel + 4);
  let received = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => {
        bytesReceived += chunk.length;
      });
      stream.on('end', () => {
        received += 1;
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const address = sink.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
  try {
    const seeded = await seedTeam(env.dataSource, {
      warnBeforeMinutes: 60,
      reescalateAfterMinutes: 120,
      autoHoldingUpdate: true,
      tiers: {},
    });
    progress(`queueing ${emails} acknowledgement emails`);
    await env.dataSource.query(
      `INSERT INTO outbox_emails (key, template, to_address, customer_id, payload, next_attempt_at, created_at)
       SELECT 'bench:' || i, 'ticket_acknowledgement', 'customer' || i || '@bench.invalid', $1,
              jsonb_build_object('ticketRef', 'T-' || lpad(i::text, 6, '0'), 'subject', 'Benchmark concern ' || i,
                                 'customerName', 'Customer ' || i, 'locale', CASE WHEN i % 3 = 0 THEN 'de' ELSE 'en' END,
                                 'ownerName', 'Bench Rep', 'firstResponseDueAt', now() + interval '4 hours',
                                 'timezone', 'Europe/Berlin'),
              now(), now()
         FROM generate_series(1, $2) AS i`,
      [seeded.customerId, emails],
    );
    const timer = setInterval(() => bar('emails delivered', received, emails), 500);
    const started = Date.now();
    const { result: counts, count: statements } = await countStatements(() =>
      drainOutbox(
        env.ctx,
        mailer,
        { ...DEFAULT_DELIVERY, mailFrom: 'support@bench.invalid' },
        { parallel },
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    clearInterval(timer);
    bar('emails delivered', received, emails);
    const drainRss = process.memoryUsage().rss;
    const averageBytes = Math.round(bytesReceived / Math.max(1, received));

    // Bare nodemailer: the same number of messages of the same size, no database at all.
    const bare: Record<string, number> = {};
    const text = 'x'.repeat(Math.max(100, Math.floor(averageBytes / 3)));
    for (const inFlight of [parallel, 50]) {
      received = 0;
      const transport = nodemailer.createTransport({
        pool: true,
        maxConnections: 5,
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
      });
      let next = 0;
      const bareStarted = Date.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < emails) {
            const i = next++;
            await transport.sendMail({
              from: 'support@bench.invalid',
              to: `customer${i}@bench.invalid`,
              subject: `Benchmark concern ${i}`,
              text,
              html: `<p>${text}</p>`,
            });
          }
        }),
      );
      const bareSeconds = (Date.now() - bareStarted) / 1000;
      transport.close();
      bare[`inFlight${inFlight}`] = Math.round(emails / bareSeconds);
      progress(`bare nodemailer, ${inFlight} in flight: ${bare[`inFlight${inFlight}`]} emails/s`);
    }
    const result = {
      emails,
      parallel,
      seconds: Number(seconds.toFixed(1)),
      emailsPerSecond: Math.round(counts.sent / seconds),
      statementsPerEmail: Number((statements / Math.max(1, counts.sent)).toFixed(2)),
      outcomes: counts,
      receivedBySink: counts.sent,
      averageMessageBytes: averageBytes,
      bareNodemailerPerSecond: bare,
      peakRss: mib(Math.max(drainRss, process.memoryUsage().rss)),
      load: { start: loadStart, end: load() },
    };
    emitResult(result);
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `outbox drain: ${counts.sent} emails in ${result.seconds} s = ${result.emailsPerSecond} emails/s, ` +
        `${result.statementsPerEmail} statements (round trips) per email`,
    );
  } finally {
    mailer.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
