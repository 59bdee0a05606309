import type { DataSource } from 'typeorm';
import type { Clock } from './clock';

/** What domain services need from the outside world, passed in explicitly. */
export interface ServiceContext {
  dataSource: DataSource;
  clock: Clock;
  settings: {
    /** Hours before an unanswered handoff offer expires. */
    handoffExpiryHours: number;
  };
}
