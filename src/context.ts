import type { DataSource } from 'typeorm';
import type { Clock } from './clock';
import type { DeadlineJobQueue } from './deadlines/deadline-jobs';
import type { Logger } from './logger';

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
  };
}
