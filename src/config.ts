import { isIP } from 'node:net';
import { z } from 'zod';
import { withDefaultUser } from './db/connection-url';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from './auth-settings';

/**
 * The whole runtime configuration, read from the environment once at start-up.
 * Every variable is documented in README.md ("Configuration").
 */
export interface Config {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for every BullMQ key, so several installs (or test runs) can share one Redis. */
  queuePrefix: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  adminToken: string | undefined;
  linkSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hours a handoff offer stays open before it expires and the ticket stays with its owner. */
  handoffExpiryHours: number;
  /** Hours after resolution before the satisfaction survey is sent. */
  surveyDelayHours: number;
  /** Port of the embedded development mailbox's SMTP listener (only when SMTP_URL is unset). */
  devSmtpPort: number;
  /** Postgres connections of the API role, and of the worker role (separate pools). */
  apiPoolSize: number;
  workerPoolSize: number;
  /** Deadline transactions a worker runs at once; below its pool, which also serves outbox and periodic tasks. */
  deadlineConcurrency: number;
  /** Deadline steps one transaction takes at most (jobs that fall due together are batched). */
  deadlineBatchSize: number;
  /** How long a query waits for a pooled connection before failing (the API answers 503). */
  poolWaitMs: number;
  /** Report queries the API runs at once; the rest wait their turn (then 503). */
  reportConcurrency: number;
  /** Host clock offset from Postgres beyond which the process logs an error (it uses Postgres time). */
  maxClockSkewMs: number;
  /** A worker's claim on an email lapses this long after its last renewal (a crashed worker). */
  outboxLeaseMs: number;
  /** Console sessions, sign-in rate limits and password links. */
  auth: AuthSettings;
  /** Encrypts mailbox passwords and webhook secrets; unset: a key kept in the database. */
  secretsKey: string | undefined;
  /** Lets webhooks reach loopback, private and link-local addresses (off: the SSRF guard). */
  webhookAllowPrivateNetworks: boolean;
  /** Largest inbound or uploaded attachment kept, in bytes. */
  attachmentMaxBytes: number;
  /** Most attachments kept from one message or sent with one update. */
  attachmentMaxCount: number;
  /** Seconds between mailbox polls (besides IMAP IDLE). */
  mailboxPollSeconds: number;
  /** Prometheus /metrics of the API process, or of API + worker in one process (npm start). */
  metricsPort: number;
  /** Prometheus /metrics of a worker-only process (npm run start:worker). */
  workerMetricsPort: number;
  /** Address the metrics listener binds to: loopback unless METRICS_HOST says otherwise. */
  metricsHost: string;
  /** Log lines: JSON, pretty (pino-pretty), or pretty only when stdout is a terminal. */
  logFormat: 'json' | 'pretty' | 'auto';
  /** New tickets inbound mail may open per sender address and per sender domain in an hour. */
  inboundLimits: InboundLimits;
}

export interface InboundLimits {
  newTicketsPerSenderPerHour: number;
  newTicketsPerDomainPerHour: number;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = {
  newTicketsPerSenderPerHour: 10,
  newTicketsPerDomainPerHour: 10,
};

/** Connections of a worker's pool kept free of deadline jobs: outbox sender, periodic tasks, clock. */
export const WORKER_RESERVED_CONNECTIONS = 3;

const urlWithProtocol = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:']).default(
    'postgres://127.0.0.1:5432/ownit',
  ),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, 'only letters, digits, ":", "_" and "-"')
    .default('ownit'),
  SMTP_URL: urlWithProtocol(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.email().default('support@localhost'),
  PUBLIC_URL: urlWithProtocol(['http:', 'https:']).optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HANDOFF_EXPIRY_HOURS: z.coerce.number().positive().default(24),
  SURVEY_DELAY_HOURS: z.coerce.number().min(0).default(24),
  DEV_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  WORKER_DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(WORKER_RESERVED_CONNECTIONS + 1)
    .max(500)
    .default(10),
  DEADLINE_CONCURRENCY: z.coerce.number().int().min(1).max(500).optional(),
  DEADLINE_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(50),
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  MAX_CLOCK_SKEW_MS: z.coerce.number().int().min(0).default(2_000),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(600).default(45),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_AUTH_SETTINGS.sessionIdleMinutes),
  SESSION_MAX_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_AUTH_SETTINGS.sessionMaxMinutes),
  SIGN_IN_ACCOUNT_FAILURES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_AUTH_SETTINGS.accountFailureLimit),
  SIGN_IN_IP_FAILURES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_AUTH_SETTINGS.ipFailureLimit),
  SIGN_IN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_AUTH_SETTINGS.failureWindowMinutes),
  SECRETS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false'),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  ATTACHMENT_MAX_COUNT: z.coerce.number().int().min(0).max(100).default(10),
  NODE_ENV: z.string().optional(),
  DEV_MAILBOX: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  MAILBOX_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  METRICS_HOST: z
    .string()
    .refine(
      (value) =>
        isIP(value.replace(/^\[(.*)\]$/, '$1')) !== 0 ||
        /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
          value,
        ),
      { message: 'must be a host name or an IP address, e.g. 0.0.0.0' },
    )
    .default('127.0.0.1'),
  LOG_FORMAT: z
    .enum(['json', 'pretty', 'auto'], { message: 'must be json, pretty or auto' })
    .default('auto'),
  INBOUND_NEW_TICKETS_PER_SENDER_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_INBOUND_LIMITS.newTicketsPerSenderPerHour),
  INBOUND_NEW_TICKETS_PER_DOMAIN_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_INBOUND_LIMITS.newTicketsPerDomainPerHour),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError that says what to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (docker-compose and shells often pass VAR= through).
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration. Fix these environment variables and start again:\n${lines.join('\n')}`,
    );
  }
  const e = parsed.data;
  const deadlineSlots = e.WORKER_DATABASE_POOL_SIZE - WORKER_RESERVED_CONNECTIONS;
  if (e.DEADLINE_CONCURRENCY !== undefined && e.DEADLINE_CONCURRENCY > deadlineSlots) {
    throw new ConfigError(
      `Invalid configuration. Fix these environment variables and start again:\n  DEADLINE_CONCURRENCY: must be at most WORKER_DATABASE_POOL_SIZE - ${WORKER_RESERVED_CONNECTIONS} (${deadlineSlots}), so deadline jobs never wait for a connection`,
    );
  }
  if (e.NODE_ENV === 'production' && !e.SMTP_URL && e.DEV_MAILBOX !== 'true') {
    throw new ConfigError(
      `Invalid configuration. Fix these environment variables and start again:\n  SMTP_URL: is required with NODE_ENV=production (customer mail would go to the development mailbox); set SMTP_URL, or DEV_MAILBOX=true to keep the development mailbox knowingly`,
    );
  }
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(
      `Invalid configuration. Fix these environment variables and start again:\n  METRICS_PORT: must differ from PORT (${e.PORT}): metrics are never served on the public port`,
    );
  }
  if (e.REPORT_CONCURRENCY >= e.DATABASE_POOL_SIZE) {
    throw new ConfigError(
      `Invalid configuration. Fix these environment variables and start again:\n  REPORT_CONCURRENCY: must be below DATABASE_POOL_SIZE (${e.DATABASE_POOL_SIZE}), so reports never take every connection`,
    );
  }
  return {
    port: e.PORT,
    databaseUrl: withDefaultUser(e.DATABASE_URL),
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    adminToken: e.ADMIN_TOKEN,
    linkSecret: e.LINK_SECRET,
    logLevel: e.LOG_LEVEL,
    handoffExpiryHours: e.HANDOFF_EXPIRY_HOURS,
    surveyDelayHours: e.SURVEY_DELAY_HOURS,
    devSmtpPort: e.DEV_SMTP_PORT,
    apiPoolSize: e.DATABASE_POOL_SIZE,
    workerPoolSize: e.WORKER_DATABASE_POOL_SIZE,
    // A few batched transactions keep both cores busy; more only split a herd into smaller batches.
    deadlineConcurrency: e.DEADLINE_CONCURRENCY ?? Math.min(4, deadlineSlots),
    deadlineBatchSize: e.DEADLINE_BATCH_SIZE,
    poolWaitMs: e.DATABASE_POOL_WAIT_MS,
    reportConcurrency: e.REPORT_CONCURRENCY,
    maxClockSkewMs: e.MAX_CLOCK_SKEW_MS,
    outboxLeaseMs: e.OUTBOX_LEASE_SECONDS * 1_000,
    auth: {
      ...DEFAULT_AUTH_SETTINGS,
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      sessionMaxMinutes: e.SESSION_MAX_MINUTES,
      accountFailureLimit: e.SIGN_IN_ACCOUNT_FAILURES,
      ipFailureLimit: e.SIGN_IN_IP_FAILURES,
      failureWindowMinutes: e.SIGN_IN_WINDOW_MINUTES,
    },
    secretsKey: e.SECRETS_KEY,
    webhookAllowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    attachmentMaxCount: e.ATTACHMENT_MAX_COUNT,
    mailboxPollSeconds: e.MAILBOX_POLL_SECONDS,
    metricsPort: e.METRICS_PORT,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    metricsHost: e.METRICS_HOST.replace(/^\[(.*)\]$/, '$1'),
    logFormat: e.LOG_FORMAT,
    inboundLimits: {
      newTicketsPerSenderPerHour: e.INBOUND_NEW_TICKETS_PER_SENDER_PER_HOUR,
      newTicketsPerDomainPerHour: e.INBOUND_NEW_TICKETS_PER_DOMAIN_PER_HOUR,
    },
  };
}
