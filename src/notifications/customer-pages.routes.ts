import { Router, type Response } from 'express';
import type { ServiceContext } from '../context';
import type { Language } from './email-templates';
import { escapeHtml } from './email-templates';
import {
  parseSatisfactionScore,
  recordSatisfactionScore,
  type SatisfactionOutcome,
} from './satisfaction.service';
import { verifyTicketToken } from './signed-links';
import {
  customerPageHtml,
  loadTicketStatus,
  renderTicketStatusPage,
  ticketStatusJson,
} from './status-page';

/**
 * Pages customers reach from their emails (no login): GET /status/:token, GET /survey/:token.
 * The token is the only credential, so these pages are never cached or indexed, and a bad
 * token gets the same bare 404 as a ticket that does not exist.
 */
export function customerPagesRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.use(['/status', '/survey'], (_req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      'X-Robots-Tag': 'noindex',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    next();
  });

  router.get('/status/:token', async (req, res) => {
    const ticketId = verifyTicketToken(ctx.settings.linkSecret, 'status', req.params.token);
    const view = ticketId ? await loadTicketStatus(ctx.dataSource.manager, ticketId) : null;
    if (!view) return notFound(res);
    res.vary('Accept');
    if (req.accepts(['html', 'json']) === 'json') {
      res.json(ticketStatusJson(view));
      return;
    }
    res.type('html').send(renderTicketStatusPage(view));
  });

  router.get('/survey/:token', async (req, res) => {
    const ticketId = verifyTicketToken(ctx.settings.linkSecret, 'survey', req.params.token);
    if (!ticketId) return notFound(res);
    const score = parseSatisfactionScore(req.query.score);
    if (score === null) {
      res.status(400).type('html').send(invalidScorePage());
      return;
    }
    // Express answers HEAD with the GET handler; link checkers probe with HEAD, and a probe must
    // not cast the customer's vote.
    if (req.method === 'HEAD') {
      res.type('html').end();
      return;
    }
    const outcome = await recordSatisfactionScore(ctx, ticketId, score);
    if (!outcome) return notFound(res);
    res
      .status(outcome.kind === 'ticket_open' ? 409 : 200)
      .type('html')
      .send(surveyPage(outcome));
  });

  return router;
}

function notFound(res: Response): void {
  res.status(404).type('text').send('Not found.');
}

const SURVEY_TEXT = {
  en: {
    title: 'Thank you for your feedback',
    recorded: (score: number) => `We have recorded your score of ${score} out of 5.`,
    recovery:
      'We are sorry we did not get this right. We have reopened your request, and the person who looked after it will be in touch with you soon.',
    already: (score: number) =>
      `Your score for this request was already recorded (${score} out of 5). Thank you.`,
    openTitle: 'Your request is open again',
    open: 'Your request is open again, so there is nothing to rate yet. We will ask for your feedback once it is resolved.',
  },
  de: {
    title: 'Vielen Dank für Ihre Bewertung',
    recorded: (score: number) => `Wir haben Ihre Bewertung von ${score} von 5 gespeichert.`,
    recovery:
      'Es tut uns leid, dass wir Sie nicht zufriedenstellen konnten. Wir haben Ihr Anliegen wieder geöffnet; Ihre Ansprechperson meldet sich in Kürze bei Ihnen.',
    already: (score: number) =>
      `Ihre Bewertung für dieses Anliegen wurde bereits gespeichert (${score} von 5). Vielen Dank.`,
    openTitle: 'Ihr Anliegen ist wieder in Bearbeitung',
    open: 'Ihr Anliegen ist wieder in Bearbeitung, daher gibt es noch nichts zu bewerten. Sobald es gelöst ist, bitten wir Sie um Ihre Meinung.',
  },
} as const;

function page(language: Language, title: string, paragraphs: string[]): string {
  return customerPageHtml(
    language,
    title,
    `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`,
  );
}

function surveyPage(outcome: SatisfactionOutcome): string {
  const t = SURVEY_TEXT[outcome.language];
  switch (outcome.kind) {
    case 'recorded':
      return page(outcome.language, t.title, [
        t.recorded(outcome.score),
        ...(outcome.recoveryFollowUp ? [t.recovery] : []),
      ]);
    case 'already_recorded':
      return page(outcome.language, t.title, [t.already(outcome.score)]);
    case 'ticket_open':
      return page(outcome.language, t.openTitle, [t.open]);
  }
}

/** Bilingual: nothing is looked up for a malformed link. */
function invalidScorePage(): string {
  return page('en', 'Invalid score', [
    'This link does not carry a score from 1 to 5. Please use one of the score links in our email.',
    'Dieser Link enthält keine Bewertung von 1 bis 5. Bitte nutzen Sie einen der Bewertungslinks in unserer E-Mail.',
  ]);
}
