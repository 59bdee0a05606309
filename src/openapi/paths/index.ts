import { agentAdminOperations } from './agent-admin';
import { attachmentsOperations } from './attachments';
import { consultsOperations } from './consults';
import { customerPagesOperations } from './customer-pages';
import { customersOperations } from './customers';
import { deadlinesOperations } from './deadlines';
import { inboundOperations } from './inbound';
import { lifecycleOperations } from './lifecycle';
import { liveOperations } from './live';
import { mailboxesOperations } from './mailboxes';
import { outboxOperations } from './outbox';
import { ownershipOperations } from './ownership';
import { promisesOperations } from './promises';
import { reportsOperations } from './reports';
import { searchOperations } from './search';
import { sessionsOperations } from './sessions';
import { storyOperations } from './story';
import { systemOperations } from './system';
import { teamAdminOperations } from './team-admin';
import { webhooksOperations } from './webhooks';
import type { Operation } from '../operation';

/** Every area's operations; a new routes file gets a file here and a line below. */
export const ALL_OPERATIONS: Array<{ area: string; operations: Operation[] }> = [
  { area: 'agent-admin', operations: agentAdminOperations },
  { area: 'attachments', operations: attachmentsOperations },
  { area: 'consults', operations: consultsOperations },
  { area: 'customer-pages', operations: customerPagesOperations },
  { area: 'customers', operations: customersOperations },
  { area: 'deadlines', operations: deadlinesOperations },
  { area: 'inbound', operations: inboundOperations },
  { area: 'lifecycle', operations: lifecycleOperations },
  { area: 'live', operations: liveOperations },
  { area: 'mailboxes', operations: mailboxesOperations },
  { area: 'outbox', operations: outboxOperations },
  { area: 'ownership', operations: ownershipOperations },
  { area: 'promises', operations: promisesOperations },
  { area: 'reports', operations: reportsOperations },
  { area: 'search', operations: searchOperations },
  { area: 'sessions', operations: sessionsOperations },
  { area: 'story', operations: storyOperations },
  { area: 'system', operations: systemOperations },
  { area: 'team-admin', operations: teamAdminOperations },
  { area: 'webhooks', operations: webhooksOperations },
];
