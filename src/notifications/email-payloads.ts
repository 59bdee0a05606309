import type { DeadlineKind } from '../deadline-rules/deadline-policy';

/**
 * Every email template OwnIt sends and the payload it needs: queueEmail takes one of these
 * pairs, so a call site that names a template and forgets a field does not compile. Payloads
 * are stored as JSON in outbox_emails and rendered by the worker (email-templates.ts); times
 * are ISO strings, shown in `timezone` where the email has one.
 */

/** What every customer email about a ticket names. */
export interface CustomerEmailBasics {
  ticketRef: string;
  subject: string;
  customerName: string;
  /** The customer's locale: picks the language (customer-wording.ts). */
  locale: string;
}

/** What every staff email about a ticket names (email-staff.ts fills it in). */
export interface StaffEmailBasics {
  ticketRef: string;
  subject: string;
  agentName: string;
}

/** What a deadline's staff emails say about it. */
interface DeadlineFields {
  deadlineKind: DeadlineKind;
  dueAt: string;
  /** The due time in the team's time zone, already formatted. */
  dueAtLocal: string;
  timezone: string;
}

interface HandoffFields {
  ticketRef: string;
  subject: string;
  fromName: string;
  toName: string;
  /** The offer's note, or the answer's (empty when none was given). */
  note: string;
}

export interface EmailPayloads {
  ticket_acknowledgement: CustomerEmailBasics & {
    ownerName: string;
    firstResponseDueAt: string | null;
    timezone: string;
  };
  public_update: CustomerEmailBasics & {
    ownerName: string;
    body: string;
    nextUpdateDueAt: string | null;
    timezone: string;
  };
  holding_update: CustomerEmailBasics & {
    ownerFirstName: string;
    nextUpdateBy: string;
    timezone: string;
  };
  /** The customer has not answered the owner's question yet. */
  waiting_reminder: CustomerEmailBasics & {
    ownerName: string;
    /** When the ticket opens again without an answer; null: no time set. */
    resumeAt: string | null;
    timezone: string;
  };
  ticket_resolved: CustomerEmailBasics & { ownerName: string; resolution: string };
  satisfaction_survey: CustomerEmailBasics & { ownerName: string };

  deadline_warning: StaffEmailBasics & DeadlineFields;
  escalation: StaffEmailBasics &
    DeadlineFields & {
      level: number;
      ownerName: string;
      minutesLate?: number;
      /** The next update promised to the customer, formatted; empty or absent: none. */
      nextUpdateDueAtLocal?: string;
    };
  /** Held escalations of one agent, sent once a day instead. */
  escalation_digest: { agentName: string; items: Array<EmailPayloads['escalation']> };
  waiting_resumed: StaffEmailBasics & {
    waitingSince: string | null;
    nextUpdateDueAt: string | null;
    timezone: string;
  };
  customer_email_failed: StaffEmailBasics & {
    failedTemplate: string;
    to: string;
    status: string;
    reason: string;
    emailId: string;
  };
  handoff_offered: HandoffFields;
  handoff_accepted: HandoffFields;
  handoff_declined: HandoffFields;
  consult_asked: StaffEmailBasics & { question: string; dueAt: string; timezone: string };
  consult_reminder: StaffEmailBasics & { question: string; dueAt: string };
  consult_overdue: StaffEmailBasics & { dueAt: string };
  consult_answered: StaffEmailBasics & { answer: string };
  consult_cancelled: StaffEmailBasics & { question: string; reason: string | null };
  promise_reminder: StaffEmailBasics & { description: string; dueAt: string };
  promise_broken: StaffEmailBasics & {
    ownerName: string;
    description: string;
    silo: string;
    dueAt: string;
  };
  agent_invitation: {
    agentName: string;
    /** Who invited the agent; empty: "an admin". */
    invitedBy: string;
    setPasswordUrl: string;
    expiresAt: string;
  };
  password_reset: { agentName: string; setPasswordUrl: string; expiresAt: string };
  webhook_disabled: { agentName: string; webhookId: string; url: string; reason: string };
}

export type EmailTemplate = keyof EmailPayloads;

/** A template with its payload: the discriminated union queueEmail and renderEmail take. */
export type EmailMessage = {
  [T in EmailTemplate]: { template: T; payload: EmailPayloads[T] };
}[EmailTemplate];

/** Templates sent to customers (threaded, with status link, in their language). */
export const CUSTOMER_TEMPLATES = [
  'ticket_acknowledgement',
  'public_update',
  'holding_update',
  'waiting_reminder',
  'ticket_resolved',
  'satisfaction_survey',
] as const satisfies readonly EmailTemplate[];
export type CustomerTemplate = (typeof CUSTOMER_TEMPLATES)[number];
export type StaffTemplate = Exclude<EmailTemplate, CustomerTemplate>;

/** Staff templates about one ticket whose basics email-staff.ts fills in. */
export type StaffTicketTemplate = {
  [T in StaffTemplate]: EmailPayloads[T] extends StaffEmailBasics ? T : never;
}[StaffTemplate];
