import { DateTime } from 'luxon';
import { zoneNamed } from '../deadline-rules/time-zones';
import {
  customerWording,
  languageOf,
  type CustomerWording,
  type Language,
} from './customer-wording';
import {
  CUSTOMER_TEMPLATES,
  type CustomerTemplate,
  type EmailMessage,
  type EmailPayloads,
  type EmailTemplate,
  type StaffTemplate,
} from './email-payloads';
import type { TicketLinks } from './signed-links';

/**
 * Every email OwnIt sends, as text and HTML. Customer emails are in the customer's language
 * (words from customer-wording.*.ts); staff emails are in English. User text is escaped in HTML
 * and never reaches a header unsanitised: subjects go through `headerSafe`.
 */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Rendering {
  subject: string;
  /** Paragraphs of plain text; each becomes a <p> in HTML. */
  paragraphs: string[];
  /** Extra HTML after the paragraphs (links, score buttons), already safe. */
  htmlExtra?: string;
  textExtra?: string;
}

/** No line breaks or control characters in headers; bounded length. */
export function headerSafe(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200)
  );
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Due times already written out, by (time, zone, locale, format): many emails of a team name the
 * same instant (the close of a business day), and formatting one with Luxon costs more than
 * the rest of the email's rendering. Bounded: cleared when full.
 */
const writtenTimes = new Map<string, string>();

/** A due time in the team's time zone, in the customer's words. */
function when(iso: string | null, timezone: string, w: CustomerWording): string {
  if (!iso) return w.time.asSoonAsPossible;
  const key = `${iso}|${timezone}|${w.time.locale}|${w.time.emailFormat}`;
  let written = writtenTimes.get(key);
  if (written === undefined) {
    written = DateTime.fromISO(iso, { zone: zoneNamed(timezone || 'UTC') })
      .setLocale(w.time.locale)
      .toFormat(w.time.emailFormat);
    if (writtenTimes.size >= 1_000) writtenTimes.clear();
    writtenTimes.set(key, written);
  }
  return written;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

const ticketLine = (p: { ticketRef: string; subject: string }) => `[${p.ticketRef}] ${p.subject}`;

type CustomerTemplates = {
  [T in CustomerTemplate]: (
    p: EmailPayloads[T],
    w: CustomerWording,
    links: TicketLinks,
  ) => Rendering;
};

const customerTemplates: CustomerTemplates = {
  ticket_acknowledgement: (p, w) => ({
    subject: w.email.acknowledgement.subject(ticketLine(p)),
    paragraphs: [
      w.email.hello(p.customerName),
      w.email.acknowledgement.owns(firstName(p.ownerName)),
      w.email.acknowledgement.hearBy(when(p.firstResponseDueAt, p.timezone, w)),
    ],
  }),
  public_update: (p, w) => ({
    subject: w.email.publicUpdate.subject(ticketLine(p)),
    paragraphs: [
      w.email.hello(p.customerName),
      p.body,
      p.nextUpdateDueAt
        ? w.email.publicUpdate.nextUpdateBy(when(p.nextUpdateDueAt, p.timezone, w))
        : '',
      `— ${p.ownerName}`,
    ],
  }),
  holding_update: (p, w) => ({
    subject: w.email.holdingUpdate.subject(ticketLine(p)),
    paragraphs: [
      w.email.hello(p.customerName),
      w.email.holdingUpdate.withOwner(p.ownerFirstName),
      w.email.holdingUpdate.nextUpdateBy(when(p.nextUpdateBy, p.timezone, w)),
    ],
  }),
  waiting_reminder: (p, w) => ({
    subject: w.email.waitingReminder.subject(ticketLine(p)),
    paragraphs: [
      w.email.hello(p.customerName),
      w.email.waitingReminder.question(firstName(p.ownerName)),
      w.email.waitingReminder.reply,
      p.resumeAt ? w.email.waitingReminder.resumeBy(when(p.resumeAt, p.timezone, w)) : '',
    ],
  }),
  ticket_resolved: (p, w) => ({
    subject: w.email.resolved.subject(ticketLine(p)),
    paragraphs: [
      w.email.hello(p.customerName),
      w.email.resolved.resolution(p.resolution),
      w.email.resolved.reply,
      `— ${p.ownerName}`,
    ],
  }),
  satisfaction_survey: (p, w, links) => {
    const scores = [1, 2, 3, 4, 5];
    return {
      subject: w.email.survey.subject(ticketLine(p)),
      paragraphs: [w.email.hello(p.customerName), w.email.survey.question(firstName(p.ownerName))],
      htmlExtra: `<p>${scores
        .map(
          (n) =>
            `<a href="${escapeHtml(links.surveyUrl(n))}" style="padding:6px 10px;border:1px solid #888;margin-right:4px;text-decoration:none">${n}</a>`,
        )
        .join('')}</p>`,
      textExtra: scores.map((n) => `${n}: ${links.surveyUrl(n)}`).join('\n'),
    };
  },
};

const deadlineWords = (kind: string) => kind.replace('_', ' ');

type StaffTemplates = { [T in StaffTemplate]: (p: EmailPayloads[T]) => Rendering };

const staffTemplates: StaffTemplates = {
  deadline_warning: (p) => ({
    subject: `Due soon: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the ${deadlineWords(p.deadlineKind)} on ${p.ticketRef} is due ${p.dueAtLocal}.`,
      'Send the customer a public update before then.',
    ],
  }),
  escalation: (p) => ({
    subject: `Overdue (level ${p.level}): ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the ${deadlineWords(p.deadlineKind)} on ${p.ticketRef}, owned by ${p.ownerName}, was due ${p.dueAtLocal} and is still unanswered.`,
      p.nextUpdateDueAtLocal
        ? `The customer was promised the next update by ${p.nextUpdateDueAtLocal}.`
        : '',
      'The owner keeps the ticket; please help them answer the customer.',
    ],
  }),
  waiting_resumed: (p) => ({
    subject: `No reply from the customer: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the customer on ${p.ticketRef} has not answered since ${p.waitingSince ?? ''}.`,
      `The ticket is open again and the next update is due ${p.nextUpdateDueAt ?? ''}.`,
    ],
  }),
  customer_email_failed: (p) => ({
    subject: `Email to the customer failed: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the ${p.failedTemplate.replace(/_/g, ' ')} to ${p.to} on ${p.ticketRef} was not delivered (${p.status}): ${p.reason}`,
      'Check the address with the customer, then resend it (POST /api/v1/outbox/<id>/resend) or dismiss it with a note.',
      `Email id: ${p.emailId}`,
    ],
  }),
  handoff_offered: (p) => ({
    subject: `Handoff offered: ${ticketLine(p)}`,
    paragraphs: [
      `${p.fromName} offers you ${p.ticketRef}: "${p.note}".`,
      'It stays theirs until you accept.',
    ],
  }),
  handoff_accepted: (p) => ({
    subject: `Handoff accepted: ${ticketLine(p)}`,
    paragraphs: [`${p.toName} accepted ${p.ticketRef} and now owns it.`],
  }),
  handoff_declined: (p) => ({
    subject: `Handoff declined: ${ticketLine(p)}`,
    paragraphs: [
      `${p.toName} declined ${p.ticketRef}${p.note ? `: "${p.note}"` : ''}.`,
      'The ticket is still yours.',
    ],
  }),
  consult_asked: (p) => ({
    subject: `Consult requested: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the owner of ${p.ticketRef} asks for your help (by ${p.dueAt}):`,
      p.question,
      'Answer the consult; the ticket stays with its owner.',
    ],
  }),
  consult_reminder: (p) => ({
    subject: `Consult due soon: ${ticketLine(p)}`,
    paragraphs: [`${p.agentName}, a consult on ${p.ticketRef} is due ${p.dueAt}:`, p.question],
  }),
  consult_overdue: (p) => ({
    subject: `Consult overdue: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the consult you asked on ${p.ticketRef} was due ${p.dueAt} and is unanswered.`,
    ],
  }),
  consult_answered: (p) => ({
    subject: `Consult answered: ${ticketLine(p)}`,
    paragraphs: [`${p.agentName}, your consult on ${p.ticketRef} was answered:`, p.answer],
  }),
  consult_cancelled: (p) => ({
    subject: `Consult cancelled: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the consult on ${p.ticketRef} was cancelled${p.reason ? ` (${p.reason})` : ''}; no answer is needed:`,
      p.question,
    ],
  }),
  promise_reminder: (p) => ({
    subject: `Promise due soon: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, you promised the customer "${p.description}" by ${p.dueAt}.`,
      'Mark it kept when it is done.',
    ],
  }),
  promise_broken: (p) => ({
    subject: `Promise broken: ${ticketLine(p)}`,
    paragraphs: [
      `${p.agentName}, the promise "${p.description}" (${p.silo}) on ${p.ticketRef}, owned by ${p.ownerName}, was due ${p.dueAt} and was not kept.`,
      'Tell the customer what happens now.',
    ],
  }),
  agent_invitation: (p) => ({
    subject: 'You are invited to the OwnIt console',
    paragraphs: [
      `${p.agentName}, ${p.invitedBy || 'an admin'} invited you to the OwnIt agent console.`,
      `Set your password here (the link works once, until ${p.expiresAt}):`,
      p.setPasswordUrl,
    ],
  }),
  password_reset: (p) => ({
    subject: 'Reset your OwnIt password',
    paragraphs: [
      `${p.agentName}, someone asked to reset the password of your OwnIt account.`,
      `Set a new password here (the link works once, until ${p.expiresAt}):`,
      p.setPasswordUrl,
      'If it was not you, ignore this email; your password stays as it is.',
    ],
  }),
  webhook_disabled: (p) => ({
    subject: `Webhook disabled: ${p.url}`,
    paragraphs: [
      `${p.agentName}, OwnIt stopped sending webhooks to ${p.url} (webhook ${p.webhookId}): ${p.reason}.`,
      'Events are kept. Fix the receiver, then re-enable it with PATCH /api/v1/webhooks/:id {"enabled": true}.',
    ],
  }),
  escalation_digest: (p) => ({
    subject: `Daily escalation digest: ${p.items.length} overdue`,
    paragraphs: [
      `${p.agentName}, these tickets were escalated to you:`,
      ...p.items.map(
        (i) => `${ticketLine(i)}: owner ${i.ownerName}, due ${i.dueAtLocal}, level ${i.level}`,
      ),
    ],
  }),
};

const isCustomer = (template: string): template is CustomerTemplate =>
  (CUSTOMER_TEMPLATES as readonly string[]).includes(template);

export function isCustomerTemplate(template: string): boolean {
  return isCustomer(template);
}

export function isKnownTemplate(template: string): template is EmailTemplate {
  return isCustomer(template) || template in staffTemplates;
}

/**
 * Renders an outbox row. The row was written through queueEmail, whose types guarantee the
 * payload matches its template; a template this version does not know is refused.
 */
export function renderEmail(
  template: string,
  payload: Record<string, unknown>,
  links: TicketLinks | null,
): RenderedEmail {
  if (!isKnownTemplate(template)) throw new Error(`unknown email template ${template}`);
  return renderMessage({ template, payload } as EmailMessage, links);
}

function renderMessage(message: EmailMessage, links: TicketLinks | null): RenderedEmail {
  const customer = isCustomer(message.template);
  const language: Language = languageOf(
    'locale' in message.payload ? message.payload.locale : undefined,
  );
  const w = customerWording(language);
  // The maps are indexed by the message's own template, so the payload fits the renderer.
  const rendering = customer
    ? (customerTemplates[message.template as CustomerTemplate] as CustomerRenderer)(
        message.payload,
        w,
        links!,
      )
    : (staffTemplates[message.template as StaffTemplate] as StaffRenderer)(message.payload);
  const paragraphs = rendering.paragraphs.filter((p) => p.length > 0);
  const statusText = customer && links ? `${w.email.statusLink}\n${links.statusUrl}` : '';
  const text = [
    ...paragraphs,
    rendering.textExtra ?? '',
    statusText,
    customer ? w.email.signoff : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    rendering.htmlExtra ?? '',
    customer && links
      ? `<p>${escapeHtml(w.email.statusLink)} <a href="${escapeHtml(links.statusUrl)}">${escapeHtml(links.statusUrl)}</a></p>`
      : '',
    customer ? `<p>${escapeHtml(w.email.signoff).replace(/\n/g, '<br>')}</p>` : '',
    '</body></html>',
  ].join('');
  return { subject: headerSafe(rendering.subject), text, html };
}

type CustomerRenderer = (p: unknown, w: CustomerWording, links: TicketLinks) => Rendering;
type StaffRenderer = (p: unknown) => Rendering;
