import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './clock';
import { DEFAULT_INBOUND_LIMITS, type Config, type InboundLimits } from './config';
import type { DeadlineJobQueue } from './deadline-rules/deadline-jobs';
import type { AttachmentStore } from './db/attachment-store';
import type { Logger } from './logger';
import type { AuthSettings } from './auth-settings';

/** What domain services need from the outside world, passed in explicitly. */
export interface ServiceContext {
  dataSource: DataSource;
  clock: Clock;
  /** Where deadline enforcement steps are scheduled (BullMQ in production). */
  deadlineJobs: DeadlineJobQueue;
  logger: Logger;
  settings: {
    /** Hours before an unanswered handoff offer expires. */
    handoffExpiryHours: number;
    /** Hours after resolution before the satisfaction survey goes out. */
    surveyDelayHours: number;
    /** Signs customer status and survey links. */
    linkSecret: string;
    /** Base of links in emails, without a trailing slash. */
    publicUrl: string;
    /** Sessions, sign-in limits and password links; DEFAULT_AUTH_SETTINGS when absent. */
    auth?: AuthSettings;
    /** SECRETS_KEY; unset: a key generated once and kept in the database (src/system/secret-box.ts). */
    secretsKey?: string;
    /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: let webhooks reach loopback and private addresses. */
    webhookAllowPrivateNetworks?: boolean;
    /** ATTACHMENT_MAX_BYTES and ATTACHMENT_MAX_COUNT; unset: the defaults in attachment-limits.ts. */
    attachments?: { maxBytes: number; maxCount: number };
    /** INBOUND_NEW_TICKETS_PER_{SENDER,DOMAIN}_PER_HOUR; unset: DEFAULT_INBOUND_LIMITS. */
    inboundLimits?: InboundLimits;
  };
  /** Where attachment bytes live; unset: Postgres (src/attachments/attachment-store.ts). */
  attachmentStore?: AttachmentStore;
}

/** What a context takes from the configuration (config.ts). */
export type ContextConfig = Pick<
  Config,
  | 'handoffExpiryHours'
  | 'surveyDelayHours'
  | 'publicUrl'
  | 'auth'
  | 'secretsKey'
  | 'webhookAllowPrivateNetworks'
  | 'attachmentMaxBytes'
  | 'attachmentMaxCount'
> &
  Partial<Pick<Config, 'inboundLimits'>>;

/**
 * Builds the context services run with. runtime.ts calls it at start, and the tests and
 * benchmarks call it too, so they run with what production runs with.
 */
export function createServiceContext(
  config: ContextConfig,
  parts: {
    dataSource: DataSource;
    deadlineJobs: DeadlineJobQueue;
    logger: Logger;
    /** The configured LINK_SECRET, or the one kept in the database (system/link-secret.ts). */
    linkSecret: string;
    clock?: Clock;
  },
): ServiceContext {
  return {
    dataSource: parts.dataSource,
    clock: parts.clock ?? systemClock,
    deadlineJobs: parts.deadlineJobs,
    logger: parts.logger,
    settings: {
      handoffExpiryHours: config.handoffExpiryHours,
      surveyDelayHours: config.surveyDelayHours,
      linkSecret: parts.linkSecret,
      publicUrl: config.publicUrl,
      auth: config.auth,
      secretsKey: config.secretsKey,
      webhookAllowPrivateNetworks: config.webhookAllowPrivateNetworks,
      attachments: { maxBytes: config.attachmentMaxBytes, maxCount: config.attachmentMaxCount },
      inboundLimits: config.inboundLimits ?? DEFAULT_INBOUND_LIMITS,
    },
  };
}
