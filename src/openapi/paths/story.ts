import type { Operation } from '../operation';
import { churnCustomerInput } from '../../customers/churn.service';

/** story: every route of src/story/. */
export const storyOperations: Operation[] = [
  { method: 'post', path: '/api/v1/customers/:id/churn', body: churnCustomerInput, success: 200 },
  { method: 'delete', path: '/api/v1/customers/:id/churn', summary: 'Un-churns', success: 200 },
  {
    method: 'get',
    path: '/api/v1/customers/:id/story',
    summary: "A customer's history across silos",
    description:
      'An admin reads every concern in full (`scope: "all"`, `otherTeams: []`). Anyone else ' +
      '(`scope: "team"`) reads its own team\'s concerns (and those it owns) in full in ' +
      "`concerns`, `events` and `summary`, and other teams' concerns only as facts without " +
      'text in `otherTeams`: one entry per team with `teamId`, `teamName`, `concerns`, ' +
      '`byStatus` (open, waiting_on_customer, resolved, closed), `bySilo` ([{silo, count}] of ' +
      'root causes), `breaches`, `reopenings`, `promises` ({kept, broken, open}), `consults`, ' +
      '`scores` ({count, average, low}), `firstReceivedAt`, `lastReceivedAt`. No subjects, ' +
      'notes, promise texts or consult questions of another team.',
    success: 200,
  },
];
