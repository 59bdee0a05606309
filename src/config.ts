import { z } from 'zod';
import { withDefaultUser } from './db/connection-url';

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
}

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
  };
}
