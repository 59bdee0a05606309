import { DateTime } from 'luxon';
import type { TicketLinks } from './signed-links';

/**
 * Every email OwnIt sends, as text and HTML, in English and German (the customer's locale picks;
 * anything else falls back to English). User text is escaped in HTML and never reaches a header
 * unsanitised: subjects go through `headerSafe`.
 */
export type Language = 'en' | 'de';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Payload = Record<string, unknown>;

interface Rendering {
  subject: string;
  /** Paragraphs of plain text; each becomes a <p> in HTML. */
  paragraphs: string[];
  /** Extra HTML after the paragraphs (links, score buttons), already safe. */
  htmlExtra?: string;
  textExtra?: string;
}

export function languageOf(locale: unknown): Language {
  return typeof locale === 'string' && locale.toLowerCase().startsWith('de') ? 'de' : 'en';
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

const str = (payload: Payload, key: string): string => {
  const value = payload[key];
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
};

function when(payload: Payload, key: string, language: Language): string {
  const iso = str(payload, key);
  if (!iso) return language === 'de' ? 'so bald wie möglich' : 'as soon as possible';
  const zone = str(payload, 'timezone') || 'UTC';
  return DateTime.fromISO(iso, { zone })
    .setLocale(language === 'de' ? 'de-DE' : 'en-GB')
    .toFormat(
      language === 'de' ? "cccc, d. LLLL, HH:mm 'Uhr' (ZZZZ)" : 'cccc d LLLL, HH:mm (ZZZZ)',
    );
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

const T = {
  en: {
    hello: (p: Payload) => `Hello ${str(p, 'customerName')},`,
    ref: (p: Payload) => `[${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    status: 'You can follow your request here:',
    signoff: 'Kind regards,\nYour support team',
  },
  de: {
    hello: (p: Payload) => `Hallo ${str(p, 'customerName')},`,
    ref: (p: Payload) => `[${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    status: 'Den Stand Ihres Anliegens sehen Sie jederzeit hier:',
    signoff: 'Freundliche Grüße\nIhr Support-Team',
  },
} as const;

type CustomerTemplate = (p: Payload, l: Language, links: TicketLinks) => Rendering;
type StaffTemplate = (p: Payload) => Rendering;

const customerTemplates: Record<string, CustomerTemplate> = {
  ticket_acknowledgement: (p, l) =>
    l === 'de'
      ? {
          subject: `Wir kümmern uns: ${T.de.ref(p)}`,
          paragraphs: [
            T.de.hello(p),
            `danke für Ihre Nachricht. ${firstName(str(p, 'ownerName'))} betreut Ihr Anliegen persönlich bis zur Lösung.`,
            `Sie hören spätestens am ${when(p, 'firstResponseDueAt', l)} von uns.`,
          ],
        }
      : {
          subject: `We're on it: ${T.en.ref(p)}`,
          paragraphs: [
            T.en.hello(p),
            `thank you for getting in touch. ${firstName(str(p, 'ownerName'))} now owns your request and will see it through until it is resolved.`,
            `You will hear from us by ${when(p, 'firstResponseDueAt', l)} at the latest.`,
          ],
        },
  public_update: (p, l) =>
    l === 'de'
      ? {
          subject: `Neuigkeiten: ${T.de.ref(p)}`,
          paragraphs: [
            T.de.hello(p),
            str(p, 'body'),
            str(p, 'nextUpdateDueAt')
              ? `Das nächste Update erhalten Sie bis ${when(p, 'nextUpdateDueAt', l)}.`
              : '',
            `— ${str(p, 'ownerName')}`,
          ],
        }
      : {
          subject: `Update: ${T.en.ref(p)}`,
          paragraphs: [
            T.en.hello(p),
            str(p, 'body'),
            str(p, 'nextUpdateDueAt')
              ? `You will get the next update by ${when(p, 'nextUpdateDueAt', l)}.`
              : '',
            `— ${str(p, 'ownerName')}`,
          ],
        },
  holding_update: (p, l) =>
    l === 'de'
      ? {
          subject: `Zwischenstand: ${T.de.ref(p)}`,
          paragraphs: [
            T.de.hello(p),
            `Ihr Anliegen liegt bei ${str(p, 'ownerFirstName')}, der/die es weiter für Sie betreut.`,
            `Das nächste Update erhalten Sie bis ${when(p, 'nextUpdateBy', l)}.`,
          ],
        }
      : {
          subject: `Status: ${T.en.ref(p)}`,
          paragraphs: [
            T.en.hello(p),
            `Your concern is with ${str(p, 'ownerFirstName')}, who keeps looking after it for you.`,
            `Next update by ${when(p, 'nextUpdateBy', l)}.`,
          ],
        },
  ticket_resolved: (p, l) =>
    l === 'de'
      ? {
          subject: `Gelöst: ${T.de.ref(p)}`,
          paragraphs: [
            T.de.hello(p),
            `Ihr Anliegen ist gelöst: ${str(p, 'resolution')}`,
            'Falls noch etwas offen ist, antworten Sie einfach auf diese E-Mail.',
            `— ${str(p, 'ownerName')}`,
          ],
        }
      : {
          subject: `Resolved: ${T.en.ref(p)}`,
          paragraphs: [
            T.en.hello(p),
            `Your request is resolved: ${str(p, 'resolution')}`,
            'If anything is still not right, just reply to this email.',
            `— ${str(p, 'ownerName')}`,
          ],
        },
  satisfaction_survey: (p, l, links) => {
    const scores = [1, 2, 3, 4, 5];
    const htmlExtra = `<p>${scores
      .map(
        (n) =>
          `<a href="${escapeHtml(links.surveyUrl(n))}" style="padding:6px 10px;border:1px solid #888;margin-right:4px;text-decoration:none">${n}</a>`,
      )
      .join('')}</p>`;
    const textExtra = scores.map((n) => `${n}: ${links.surveyUrl(n)}`).join('\n');
    return l === 'de'
      ? {
          subject: `Wie war unser Service? ${T.de.ref(p)}`,
          paragraphs: [
            T.de.hello(p),
            `Wie zufrieden sind Sie mit der Lösung durch ${firstName(str(p, 'ownerName'))}? Ein Klick genügt (1 = gar nicht, 5 = sehr).`,
          ],
          htmlExtra,
          textExtra,
        }
      : {
          subject: `How did we do? ${T.en.ref(p)}`,
          paragraphs: [
            T.en.hello(p),
            `How happy are you with how ${firstName(str(p, 'ownerName'))} resolved your request? One click is enough (1 = not at all, 5 = very).`,
          ],
          htmlExtra,
          textExtra,
        };
  },
};

const staffTemplates: Record<string, StaffTemplate> = {
  deadline_warning: (p) => ({
    subject: `Due soon: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, the ${str(p, 'deadlineKind').replace('_', ' ')} on ${str(p, 'ticketRef')} is due ${str(p, 'dueAtLocal')}.`,
      'Send the customer a public update before then.',
    ],
  }),
  escalation: (p) => ({
    subject: `Overdue (level ${str(p, 'level')}): [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, the ${str(p, 'deadlineKind').replace('_', ' ')} on ${str(p, 'ticketRef')}, owned by ${str(p, 'ownerName')}, was due ${str(p, 'dueAtLocal')} and is still unanswered.`,
      'The owner keeps the ticket; please help them answer the customer.',
    ],
  }),
  handoff_offered: (p) => ({
    subject: `Handoff offered: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'fromName')} offers you ${str(p, 'ticketRef')}: "${str(p, 'note')}".`,
      'It stays theirs until you accept.',
    ],
  }),
  handoff_accepted: (p) => ({
    subject: `Handoff accepted: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [`${str(p, 'toName')} accepted ${str(p, 'ticketRef')} and now owns it.`],
  }),
  handoff_declined: (p) => ({
    subject: `Handoff declined: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'toName')} declined ${str(p, 'ticketRef')}${str(p, 'note') ? `: "${str(p, 'note')}"` : ''}.`,
      'The ticket is still yours.',
    ],
  }),
  consult_asked: (p) => ({
    subject: `Consult requested: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, the owner of ${str(p, 'ticketRef')} asks for your help (by ${str(p, 'dueAt')}):`,
      str(p, 'question'),
      'Answer the consult; the ticket stays with its owner.',
    ],
  }),
  consult_reminder: (p) => ({
    subject: `Consult due soon: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, a consult on ${str(p, 'ticketRef')} is due ${str(p, 'dueAt')}:`,
      str(p, 'question'),
    ],
  }),
  consult_overdue: (p) => ({
    subject: `Consult overdue: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, the consult you asked on ${str(p, 'ticketRef')} was due ${str(p, 'dueAt')} and is unanswered.`,
    ],
  }),
  consult_answered: (p) => ({
    subject: `Consult answered: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, your consult on ${str(p, 'ticketRef')} was answered:`,
      str(p, 'answer'),
    ],
  }),
  promise_reminder: (p) => ({
    subject: `Promise due soon: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, you promised the customer "${str(p, 'description')}" by ${str(p, 'dueAt')}.`,
      'Mark it kept when it is done.',
    ],
  }),
  promise_broken: (p) => ({
    subject: `Promise broken: [${str(p, 'ticketRef')}] ${str(p, 'subject')}`,
    paragraphs: [
      `${str(p, 'agentName')}, the promise "${str(p, 'description')}" (${str(p, 'silo')}) on ${str(p, 'ticketRef')}, owned by ${str(p, 'ownerName')}, was due ${str(p, 'dueAt')} and was not kept.`,
      'Tell the customer what happens now.',
    ],
  }),
  escalation_digest: (p) => {
    const items = Array.isArray(p.items) ? (p.items as Payload[]) : [];
    return {
      subject: `Daily escalation digest: ${items.length} overdue`,
      paragraphs: [
        `${str(p, 'agentName')}, these tickets were escalated to you:`,
        ...items.map(
          (i) =>
            `[${str(i, 'ticketRef')}] ${str(i, 'subject')}: owner ${str(i, 'ownerName')}, due ${str(i, 'dueAtLocal')}, level ${str(i, 'level')}`,
        ),
      ],
    };
  },
};

export function isCustomerTemplate(template: string): boolean {
  return template in customerTemplates;
}

export function isKnownTemplate(template: string): boolean {
  return template in customerTemplates || template in staffTemplates;
}

export function renderEmail(
  template: string,
  payload: Payload,
  links: TicketLinks | null,
): RenderedEmail {
  const customer = customerTemplates[template];
  const staff = staffTemplates[template];
  if (!customer && !staff) throw new Error(`unknown email template ${template}`);
  const language = languageOf(payload.locale);
  const rendering = customer ? customer(payload, language, links!) : staff!(payload);
  const paragraphs = rendering.paragraphs.filter((p) => p.length > 0);
  const statusText = customer && links ? `${T[language].status}\n${links.statusUrl}` : '';
  const text = [
    ...paragraphs,
    rendering.textExtra ?? '',
    statusText,
    customer ? T[language].signoff : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    rendering.htmlExtra ?? '',
    customer && links
      ? `<p>${escapeHtml(T[language].status)} <a href="${escapeHtml(links.statusUrl)}">${escapeHtml(links.statusUrl)}</a></p>`
      : '',
    customer ? `<p>${escapeHtml(T[language].signoff).replace(/\n/g, '<br>')}</p>` : '',
    '</body></html>',
  ].join('');
  return { subject: headerSafe(rendering.subject), text, html };
}
