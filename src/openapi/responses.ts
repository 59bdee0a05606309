import { z } from 'zod';
import { AGENT_ROLES } from '../actor';
import { CUSTOMER_TIERS } from '../deadline-rules/customer-tier';
import { HANDOFF_STATUSES } from '../ownership/handoff.entity';
import { PROMISE_STATUSES } from '../promises/promise.entity';
import {
  SILOS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '../tickets/ticket.entity';

/**
 * What the API answers, as documented: the views' shapes (src/<area>/*.view.ts). Objects are
 * open (the contract lets responses gain fields); every field named here is required unless
 * marked optional, with its type. test/helpers/contract-check.ts checks every response the test
 * suite gets against these, so a view and its description cannot drift apart.
 */

const id = z.uuid();
const time = z.iso.datetime({ offset: true });
const nullableTime = time.nullable();
const open = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);

/** `{ items, nextCursor }`, as every list answers. */
export const pageOf = (item: z.ZodType) =>
  open({ items: z.array(item), nextCursor: z.string().nullable() });

export const ticketResponse = open({
  id,
  ref: z.string(),
  status: z.enum(TICKET_STATUSES),
  customerId: id,
  teamId: id,
  ownerId: id,
  createdById: id.nullable(),
  subject: z.string(),
  description: z.string(),
  channel: z.enum(TICKET_CHANNELS),
  category: z.string().nullable(),
  priority: z.enum(TICKET_PRIORITIES),
  receivedAt: time,
  firstResponseDueAt: nullableTime,
  firstRespondedAt: nullableTime,
  nextUpdateDueAt: nullableTime,
  lastPublicUpdateAt: nullableTime,
  escalationLevel: z.int().min(0),
  breachCount: z.int().min(0),
  resolvedAt: nullableTime,
  resolution: z.string().nullable(),
  rootCause: open({
    silo: z.enum(SILOS),
    category: z.string().nullable(),
    detail: z.string().nullable(),
  }).nullable(),
  closedAt: nullableTime,
  followUpOfId: id.nullable(),
  latestFollowUpId: id.nullable(),
  reopenCount: z.int().min(0),
  version: z.int().min(1),
  createdAt: time,
  updatedAt: time,
});

/** A ticket in a list: the ticket, its customer and its current deadline. */
export const ticketListItemResponse = ticketResponse.extend({
  customer: open({
    id,
    name: z.string(),
    email: z.string(),
    tier: z.enum(CUSTOMER_TIERS),
  }).nullable(),
  currentDeadline: open({ kind: z.string(), dueAt: time }).nullable(),
});

export const timelineEventResponse = open({
  id: z.string(),
  ticketId: id,
  type: z.string(),
  at: time,
  actorId: id.nullable(),
  data: z.record(z.string(), z.unknown()),
});

/** An update or customer message just written, with the ticket as it now is. */
export const timelineEventWithTicketResponse = timelineEventResponse.extend({
  ticket: ticketResponse,
});

const dayHours = open({ open: z.string(), close: z.string() });

export const teamResponse = open({
  id,
  name: z.string(),
  timezone: z.string(),
  businessHours: z.record(z.string(), dayHours),
  holidays: z.array(z.iso.date()),
  sameDayCutoff: z.string().nullable(),
  policy: z.record(z.string(), z.unknown()),
  createdAt: time,
  updatedAt: time,
});

export const agentResponse = open({
  id,
  name: z.string(),
  /** Left out when an integration reads other agents: staff emails are not for API clients. */
  email: z.string().optional(),
  role: z.enum(AGENT_ROLES),
  teamId: id.nullable(),
  capacity: z.int().min(0),
  away: z.boolean(),
  active: z.boolean(),
  escalationDigest: z.boolean(),
  supervisorId: id.nullable(),
  createdAt: time,
  updatedAt: time,
});

/** POST /agents and POST /agents/:id/token: the only answers that carry the token. */
export const agentWithTokenResponse = agentResponse.extend({
  email: z.string(),
  token: z.string().min(1),
});

/** The signed-in agent (GET /me, sign-in, GET /session). */
export const meResponse = agentResponse.extend({
  email: z.string(),
  openTicketCount: z.int().min(0),
});

export const sessionResponse = open({ agent: meResponse, expiresAt: time });

export const customerResponse = open({
  id,
  name: z.string(),
  email: z.string(),
  tier: z.enum(CUSTOMER_TIERS),
  locale: z.string().nullable(),
  autoUpdates: z.boolean(),
  churnedAt: nullableTime,
  churnReason: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
});

export const handoffResponse = open({
  id,
  ticketId: id,
  ticketRef: z.string().optional(),
  ticketSubject: z.string().optional(),
  fromAgentId: id,
  toAgentId: id,
  note: z.string(),
  status: z.enum(HANDOFF_STATUSES),
  createdAt: time,
  expiresAt: time,
  respondedAt: nullableTime,
  responseNote: z.string().nullable(),
});

export const consultResponse = open({
  id,
  ticketId: id,
  ticketRef: z.string().optional(),
  ticketSubject: z.string().optional(),
  askedById: id,
  agentId: id.nullable(),
  teamId: id.nullable(),
  question: z.string(),
  dueAt: time,
  status: z.string(),
  answer: z.string().nullable(),
  answeredById: id.nullable(),
  answeredAt: nullableTime,
  overdueAt: nullableTime,
  cancelledAt: nullableTime,
  cancelledById: id.nullable(),
  createdAt: time,
});

export const promiseResponse = open({
  id,
  ticketId: id,
  customerId: id,
  madeById: id,
  description: z.string(),
  dueAt: time,
  silo: z.enum(SILOS),
  status: z.enum(PROMISE_STATUSES),
  note: z.string().nullable(),
  closedAt: nullableTime,
  closedById: id.nullable(),
  createdAt: time,
});

export const attachmentResponse = open({
  id,
  ticketId: id,
  timelineEventId: z.string().nullable(),
  filename: z.string(),
  contentType: z.string(),
  declaredType: z.string().nullable(),
  size: z.int().min(0),
  sha256: z.string(),
  source: z.enum(['email', 'upload']),
  uploadedById: id.nullable(),
  createdAt: time,
  downloadUrl: z.string(),
});

export const overdueTicketResponse = open({
  ticketId: id,
  ref: z.string(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  teamId: id,
  customerId: id,
  owner: open({ id, name: z.string() }),
  deadline: z.string(),
  dueAt: time,
  nextPromisedAt: nullableTime,
  overdueSince: time,
  minutesOverdue: z.number().min(0),
  escalationLevel: z.int().min(0),
  breachCount: z.int().min(0),
});

export const healthResponse = open({ status: z.string() });

/** GET /status/:token with Accept: application/json: what the customer's page shows. */
export const ticketStatusResponse = open({
  ref: z.string(),
  status: z.enum(TICKET_STATUSES),
  ownerFirstName: z.string(),
  lastUpdateAt: nullableTime,
  nextUpdateBy: nullableTime,
  resolvedAt: nullableTime,
});
