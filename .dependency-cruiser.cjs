// @ts-check
/**
 * The module layering of src/, checked by `npm run lint` (dependency-cruiser). The README's
 * "Architecture" section shows the same picture.
 *
 * Layers, bottom to top. A file may import files of its own layer and of the layers below it,
 * never of a layer above; folders never import each other in a cycle (one-way, even inside a
 * layer). Type-only imports count too: a type couples a reader to the module as much as a value.
 *
 *   1. deadline rules  src/deadline-rules/   pure deadline maths: calendar, policy, job plan.
 *                                            Imports nothing from src/ and no npm package but
 *                                            luxon (no clock, no database, no framework).
 *   2. foundation      src/*.ts, src/db/,    config, errors, clock, logger, the ServiceContext,
 *                      src/http/             the Actor, pagination; the data source and
 *                                            transaction helper; the HTTP glue routes use
 *                                            (problem+json, request context, validation). The
 *                                            glue imports no domain module: app.ts hands it what
 *                                            it needs (e.g. the bearer-token lookup).
 *   3. records         src/teams/ agents/    the rows tickets refer to, and the customers'
 *                      customers/            own CRUD (teams and agents are administered by
 *                                            team-admin/ and agent-admin/, which reach higher).
 *   4. ticket core     src/tickets/          the ticket entity, the lock helper, access, writes,
 *                                            deadline scheduling after commit.
 *   5. writers         src/timeline/         what every feature writes besides the ticket: the
 *                      src/notifications/    timeline (with the webhook deliveries each event
 *                                            queues) and the email outbox (plus its delivery).
 *   6. features        every other folder    lifecycle/, ownership/, consults/, promises/,
 *                                            deadlines/ (enforcement), satisfaction/, inbound/,
 *                                            story/, customer-pages/, reports/, team-admin/,
 *                                            agent-admin/, system/, webhooks/, any new folder. Features
 *                                            may use each other, one way only.
 *   7. edges           src/worker/           BullMQ queues and job handlers; they call features.
 *
 * Composition roots sit outside the layers and are not cruised: src/runtime.ts, src/main.ts,
 * src/api.ts, src/worker.ts, src/process-lifecycle.ts (start and stop the processes),
 * src/http/app.ts (mounts every module's routes) and src/db/entities.ts (lists every entity).
 * src/console/ (the React front end) is a separate program and talks to the API over HTTP only.
 *
 * Where to put a new file: next to the rule it implements. A new folder counts as a feature. If
 * a lower layer needs something of a feature, move that piece down (see tickets/get-ticket.ts)
 * or let the composition root pass it in (see http/request-context.ts `authenticate`).
 *
 * Framework rules: Express only in *.routes.ts and src/http/; BullMQ only in src/worker/;
 * TypeORM values only in *.entity.ts, *.queries.ts and src/db/ (services take an EntityManager
 * by type); only app.ts imports *.routes.ts.
 */

const LAYERS = [
  { name: 'deadline-rules', path: '^src/deadline-rules/' },
  { name: 'foundation', path: '^src/(db/|http/|[^/]+\\.ts$)' },
  { name: 'records', path: '^src/(teams|agents|customers)/' },
  { name: 'ticket-core', path: '^src/tickets/' },
  { name: 'writers', path: '^src/(timeline|notifications)/' },
  {
    name: 'features',
    path: '^src/(?!(deadline-rules|db|http|teams|agents|customers|tickets|timeline|notifications|worker|console)/)[^/]+/',
  },
  { name: 'edges', path: '^src/worker/' },
];

const COMPOSITION_ROOTS = [
  '^src/runtime\\.ts$',
  '^src/main\\.ts$',
  '^src/api\\.ts$',
  '^src/worker\\.ts$',
  '^src/process-lifecycle\\.ts$',
  '^src/http/app\\.ts$',
  '^src/db/entities\\.ts$',
];

/** One rule per layer: nothing in it imports a layer above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, index) => {
  const above = LAYERS.slice(index + 1);
  return {
    name: `layer-${layer.name}-imports-only-below`,
    severity: 'error',
    comment:
      `The ${layer.name} layer may not import ${above.map((l) => l.name).join(', ')}: the module ` +
      'graph goes one way (see .dependency-cruiser.cjs and the README layer picture). Move the ' +
      'shared piece down, or have the composition root pass it in.',
    from: { path: layer.path },
    to: { path: above.map((l) => l.path) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files import each other in a cycle; split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'Module folders import each other in a cycle; the module graph must go one way.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'deadline-rules-are-pure',
      severity: 'error',
      comment:
        'Deadline maths is pure: (instant, calendar, policy) in, instants out. Only luxon; no ' +
        'clock, database, queue or framework.',
      from: { path: '^src/deadline-rules/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'],
        pathNot: '^node_modules/luxon/',
      },
    },
    {
      name: 'express-only-in-routes-and-http',
      severity: 'error',
      comment: 'Only *.routes.ts and src/http/ speak Express; services never see a request.',
      from: { pathNot: ['\\.routes\\.ts$', '^src/http/'] },
      to: { path: '^node_modules/(@types/)?express(-serve-static-core)?/' },
    },
    {
      name: 'bullmq-only-in-worker',
      severity: 'error',
      comment:
        'Only src/worker/ speaks BullMQ; the domain schedules through the DeadlineJobQueue port ' +
        '(deadline-rules/deadline-jobs.ts).',
      from: { pathNot: '^src/worker/' },
      to: { path: '^node_modules/bullmq/' },
    },
    {
      name: 'typeorm-values-only-in-entities-and-data-access',
      severity: 'error',
      comment:
        'Only *.entity.ts, *.queries.ts and src/db/ import TypeORM values; services take an ' +
        'EntityManager by type (import type).',
      from: { pathNot: ['\\.entity\\.ts$', '\\.queries\\.ts$', '^src/db/'] },
      to: { path: '^node_modules/typeorm/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'prom-client-only-at-the-edges',
      severity: 'error',
      comment:
        'Metrics are taken at the edges: src/metrics.ts, src/http/http-metrics.ts and src/worker/. ' +
        'Domain code reports what happened through plain observer functions (see ' +
        'deadlines/enforce-deadline.ts DeadlineStepObserver).',
      from: { pathNot: ['^src/metrics\\.ts$', '^src/http/http-metrics\\.ts$', '^src/worker/'] },
      to: { path: '^node_modules/prom-client/' },
    },
    {
      name: 'routes-only-from-app',
      severity: 'error',
      comment: 'Only src/http/app.ts mounts routes; share a service function, not a router.',
      from: {},
      to: { path: '\\.routes\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: [...COMPOSITION_ROOTS, '^src/console/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
