import { Agent } from '../agents/agent.entity';
import { Consult } from '../consults/consult.entity';
import { Customer } from '../customers/customer.entity';
import { CustomerPromise } from '../promises/promise.entity';
import { DeadlineAction } from '../deadlines/deadline-action.entity';
import { OutboxEmail } from '../notifications/outbox-email.entity';
import { SatisfactionScore } from '../satisfaction/satisfaction-score.entity';
import { Handoff } from '../ownership/handoff.entity';
import { OwnershipPeriod } from '../ownership/ownership-period.entity';
import { Setting } from '../system/setting.entity';
import { Team } from '../teams/team.entity';
import { Ticket } from '../tickets/ticket.entity';
import { TimelineEvent } from '../timeline/timeline-event.entity';

export const entities = [
  Team,
  Agent,
  Customer,
  Ticket,
  OwnershipPeriod,
  Handoff,
  TimelineEvent,
  OutboxEmail,
  Setting,
  DeadlineAction,
  SatisfactionScore,
  Consult,
  CustomerPromise,
];
