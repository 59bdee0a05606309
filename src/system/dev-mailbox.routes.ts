import { Router, type RequestHandler } from 'express';
import { escapeHtml } from '../notifications/email-templates';
import type { DevMailbox } from '../notifications/dev-mailbox';
import { sendProblem } from '../http/problem';

/** /dev/mailbox: what the development mailbox caught (only mounted when SMTP_URL is unset). */
export function devMailboxRoutes(mailbox: DevMailbox, authenticate: RequestHandler): Router {
  const router = Router();
  // Customer mail (with status and survey links) is readable here: by admins only, by bearer
  // token or console session. Never by socket address: behind a reverse proxy on the same host
  // every request comes from 127.0.0.1.
  router.use('/dev/mailbox', authenticate, (_req, res, next) => {
    const actor = res.locals.actor as { role?: string } | undefined;
    if (actor?.role === 'admin') {
      next();
      return;
    }
    sendProblem(res, {
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'The development mailbox is for admins.',
    });
  });
  router.get('/dev/mailbox', (req, res) => {
    const messages = mailbox.messages();
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ items: messages, nextCursor: null });
      return;
    }
    const rows = messages
      .map(
        (m) =>
          `<li><a href="/dev/mailbox/${m.id}"><strong>${escapeHtml(m.subject)}</strong></a><br>` +
          `<small>${escapeHtml(m.receivedAt)} · to ${escapeHtml(m.to)}</small></li>`,
      )
      .join('');
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OwnIt development mailbox</title></head>` +
          `<body style="font-family:sans-serif"><h1>Development mailbox</h1>` +
          `<p>Every email OwnIt sent while <code>SMTP_URL</code> is unset (newest first, last 200).</p>` +
          `<ol reversed>${rows || '<li>Nothing yet.</li>'}</ol></body></html>`,
      );
  });
  router.get('/dev/mailbox/:id', (req, res) => {
    const message = mailbox.messages().find((m) => String(m.id) === req.params.id);
    if (!message) {
      res.status(404).type('text').send('No such message.');
      return;
    }
    if (req.accepts(['html', 'json']) === 'json') {
      res.json(message);
      return;
    }
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>` +
          `<body style="font-family:sans-serif"><p><a href="/dev/mailbox">← mailbox</a></p>` +
          `<h1>${escapeHtml(message.subject)}</h1><p>From ${escapeHtml(message.from)} to ${escapeHtml(message.to)}<br>` +
          `Message-ID ${escapeHtml(message.messageId)}${message.inReplyTo ? `, in reply to ${escapeHtml(message.inReplyTo)}` : ''}</p>` +
          `<pre style="white-space:pre-wrap">${escapeHtml(message.text)}</pre></body></html>`,
      );
  });
  return router;
}
