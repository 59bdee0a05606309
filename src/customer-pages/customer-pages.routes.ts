import express, { Router, type Response } from 'express';
import type { ServiceContext } from '../context';
import { customerWording, type Language } from '../notifications/customer-wording';
import { escapeHtml } from '../notifications/email-templates';
import {
  parseSatisfactionScore,
  recordSatisfactionScore,
  type SatisfactionOutcome,
} from '../satisfaction/satisfaction.service';
import { verifyTicketToken } from '../notifications/signed-links';
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

  // A GET (a click, or a mail scanner following every link) only shows the question with the
  // score preselected; HEAD answers the same without a body. Nothing is written until the
  // customer sends the form (POST).
  router.get('/survey/:token', async (req, res) => {
    const ticketId = verifyTicketToken(ctx.settings.linkSecret, 'survey', req.params.token);
    if (!ticketId) return notFound(res);
    const score = parseSatisfactionScore(req.query.score);
    if (score === null) {
      res.status(400).type('html').send(invalidScorePage());
      return;
    }
    const view = await loadTicketStatus(ctx.dataSource.manager, ticketId);
    if (!view) return notFound(res);
    res.type('html').send(confirmPage(view.language, req.params.token, score));
  });

  router.post(
    '/survey/:token',
    express.urlencoded({ extended: false, limit: '1kb', parameterLimit: 5 }),
    async (req, res) => {
      const ticketId = verifyTicketToken(ctx.settings.linkSecret, 'survey', req.params.token);
      if (!ticketId) return notFound(res);
      const body: unknown = req.body;
      const score = parseSatisfactionScore(
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).score : null,
      );
      if (score === null) {
        res.status(400).type('html').send(invalidScorePage());
        return;
      }
      const outcome = await recordSatisfactionScore(ctx, ticketId, score);
      if (!outcome) return notFound(res);
      res
        .status(outcome.kind === 'ticket_open' ? 409 : 200)
        .type('html')
        .send(surveyPage(outcome));
    },
  );

  return router;
}

function notFound(res: Response): void {
  res.status(404).type('text').send('Not found.');
}

function page(language: Language, title: string, paragraphs: string[]): string {
  return customerPageHtml(
    language,
    title,
    `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`,
  );
}

/** The score question with the clicked score preselected, sent back by POST. */
function confirmPage(language: Language, token: string, score: number): string {
  const t = customerWording(language).surveyPage;
  const options = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label><input type="radio" name="score" value="${n}"${n === score ? ' checked' : ''}> ${escapeHtml(t.scoreLabel(n))}</label><br>`,
    )
    .join('');
  return customerPageHtml(
    language,
    t.confirmTitle,
    `<h1>${escapeHtml(t.confirmTitle)}</h1><p>${escapeHtml(t.confirmQuestion)}</p>` +
      `<form method="post" action="/survey/${encodeURIComponent(token)}"><fieldset>` +
      `<legend>${escapeHtml(t.confirmQuestion)}</legend>${options}</fieldset>` +
      `<p><button type="submit">${escapeHtml(t.confirmButton)}</button></p></form>`,
  );
}

function surveyPage(outcome: SatisfactionOutcome): string {
  const t = customerWording(outcome.language).surveyPage;
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
  const languages: Language[] = ['en', 'de'];
  return page(
    'en',
    customerWording('en').surveyPage.invalidScoreTitle,
    languages.map((language) => customerWording(language).surveyPage.invalidScore),
  );
}
