/**
 * Benchmark: ticket search (GET /tickets?q=, through its service function: SQL, ranking and
 * list-item assembly; no HTTP) against the database seeded by `npm run seed:million`.
 *
 * The seeded tickets all share one subject pattern and one description, so on first use this
 * script gives every ticket a conversation of eight words drawn from a helpdesk vocabulary of
 * English and German words with a Zipf-like skew (a few words are in most tickets, most words in
 * few), as real conversations would; it is recorded in `settings` and done once per database.
 * Then it runs each query several times as one team's rep and as an admin over all teams and
 * prints median and p95 milliseconds (first run separately). Target: under 50 ms.
 *
 * Run: npm run bench:search [-- --database ownit_seed --runs 20]
 */
import type { Actor } from '../src/actor';
import { systemClock } from '../src/clock';
import type { ServiceContext } from '../src/context';
import { openDatabase } from '../src/db/data-source';
import { listTickets } from '../src/lifecycle/tickets.service';
import { percentile, progress } from './bench/bench-environment';
import { DEFAULT_SEED_DATABASE, seedDatabaseUrl } from './seed-million-tickets';

const VOCABULARY = [
  'internet',
  'router',
  'invoice',
  'Rechnung',
  'connection',
  'Verbindung',
  'technician',
  'Techniker',
  'appointment',
  'Termin',
  'refund',
  'Erstattung',
  'contract',
  'Vertrag',
  'slow',
  'langsam',
  'outage',
  'Störung',
  'password',
  'Passwort',
  'upgrade',
  'tariff',
  'Tarif',
  'billing',
  'cancel',
  'kündigen',
  'modem',
  'wifi',
  'WLAN',
  'fibre',
  'Glasfaser',
  'speed',
  'Geschwindigkeit',
  'charge',
  'Gebühr',
  'double',
  'doppelt',
  'missing',
  'fehlt',
  'delivery',
  'Lieferung',
  'address',
  'Adresse',
  'email',
  'phone',
  'Telefon',
  'mobile',
  'Handy',
  'roaming',
  'SIM',
  'activation',
  'Aktivierung',
  'port',
  'number',
  'Rufnummer',
  'voicemail',
  'Mailbox',
  'television',
  'Fernsehen',
  'channel',
  'Sender',
  'remote',
  'Fernbedienung',
  'firmware',
  'update',
  'reset',
  'blinking',
  'blinkt',
  'red',
  'rot',
  'light',
  'Lampe',
  'cable',
  'Kabel',
  'socket',
  'Dose',
  'installation',
  'Installation',
  'promo',
  'Gutschein',
  'discount',
  'Rabatt',
  'late',
  'spät',
  'callback',
  'Rückruf',
  'complaint',
  'Beschwerde',
  'manager',
  'Vorgesetzter',
  'disconnect',
  'Abbruch',
  'latency',
  'ping',
  'gaming',
  'streaming',
  'buffering',
  'Netflix',
  'bill',
  'payment',
  'Zahlung',
  'direct',
  'debit',
  'Lastschrift',
  'overdue',
  'Mahnung',
  'credit',
  'Gutschrift',
  'porting',
  'Portierung',
  'move',
  'Umzug',
  'relocation',
  'new',
  'neu',
  'apartment',
  'Wohnung',
  'landlord',
  'Vermieter',
  'permit',
  'Genehmigung',
  'excavation',
  'Tiefbau',
  'street',
  'Straße',
  'cabinet',
  'Verteiler',
  'splitter',
  'Splitter',
  'DSL',
  'VDSL',
  'LTE',
  '5G',
  'antenna',
  'Antenne',
  'coverage',
  'Netzabdeckung',
];

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const MARKER = 'bench:search-conversation';

/** Once per database: an eight-word conversation per ticket, indexes rebuilt after the load. */
async function addConversations(ctx: ServiceContext): Promise<void> {
  const done: unknown[] = await ctx.dataSource.query(`SELECT 1 FROM settings WHERE key = $1`, [
    MARKER,
  ]);
  if (done.length > 0) return;
  progress('giving every ticket a conversation (once per database; a few minutes)');
  await ctx.dataSource.query(`DROP INDEX IF EXISTS ticket_search_document_idx`);
  await ctx.dataSource.query(
    `UPDATE ticket_search s
        SET document = s.document || ticket_search_text(
          (SELECT string_agg(($1::text[])[1 + floor(array_length($1::text[], 1) * power(random(), 2.5))::int], ' ')
             FROM generate_series(1, 8) WHERE s.ticket_id IS NOT NULL), 'D')`,
    [VOCABULARY],
  );
  progress('rebuilding the search index');
  await ctx.dataSource.query(
    `CREATE INDEX ticket_search_document_idx ON ticket_search USING gin (team_id, document)`,
  );
  await ctx.dataSource.query(`VACUUM ANALYZE ticket_search`);
  await ctx.dataSource.query(`INSERT INTO settings (key, value) VALUES ($1, 'done')`, [MARKER]);
}

async function main(): Promise<void> {
  const database = argument('database', DEFAULT_SEED_DATABASE);
  const runs = Number(argument('runs', '20'));
  if (!Number.isInteger(runs) || runs <= 0) throw new Error('--runs must be a positive number');
  const dataSource = await openDatabase(seedDatabaseUrl(database), 10);
  // listTickets reads only the data source and the clock.
  const ctx = { dataSource, clock: systemClock } as unknown as ServiceContext;
  try {
    const [{ tickets }] = await dataSource.query(`SELECT count(*)::int AS tickets FROM tickets`);
    if (tickets === 0) {
      throw new Error(`database ${database} has no tickets; run \`npm run seed:million\` first`);
    }
    await addConversations(ctx);
    const [sample] = await dataSource.query(
      `SELECT t.ref, t.team_id, c.email,
              (SELECT a.id FROM agents a WHERE a.team_id = t.team_id AND a.role = 'rep' LIMIT 1) AS rep
         FROM tickets t JOIN customers c ON c.id = t.customer_id
        ORDER BY t.received_at DESC LIMIT 1`,
    );
    const rep: Actor = { id: sample.rep, name: 'Bench rep', role: 'rep', teamId: sample.team_id };
    const admin: Actor = { id: sample.rep, name: 'Bench admin', role: 'admin', teamId: null };
    progress(`${database}: ${tickets} tickets; ${runs} runs per query`);
    const queries: Array<[string, string]> = [
      ['rare word', 'Splitter'],
      ['medium word', 'Rückruf'],
      ['common word', 'internet'],
      ['two words', 'router blinking'],
      ['German inflection', 'Rechnungen'],
      ['ticket ref', sample.ref],
      ['customer email', sample.email],
      ['word in every ticket', 'seeded'],
    ];
    const results = [];
    for (const [who, actor] of [
      ['rep, own team', rep],
      ['admin, all teams', admin],
    ] as const) {
      for (const [label, q] of queries) {
        const times: number[] = [];
        let found = 0;
        for (let i = 0; i <= runs; i++) {
          const started = process.hrtime.bigint();
          found = (await listTickets(ctx, actor, { q, limit: 50 })).items.length;
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const [cold = NaN, ...warm] = times;
        warm.sort((a, b) => a - b);
        const row = {
          who,
          query: `${label}: ${q}`,
          found,
          coldMs: Math.round(cold),
          medianMs: Math.round(percentile(warm, 50)),
          p95Ms: Math.round(percentile(warm, 95)),
        };
        results.push(row);
        progress(
          `${who}, ${row.query}: median ${row.medianMs} ms, p95 ${row.p95Ms} ms (first ${row.coldMs} ms, ${found} shown)`,
        );
      }
    }
    console.log(JSON.stringify({ database, tickets, runs, results }, null, 2));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
