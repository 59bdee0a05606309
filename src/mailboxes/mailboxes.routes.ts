import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody } from '../http/validate';
import { createMailboxInput, updateMailboxInput } from './mailboxes.input';
import {
  createMailbox,
  deleteMailbox,
  getMailbox,
  listMailboxes,
  updateMailbox,
} from './mailboxes.service';

/** IMAP mailboxes a team's mail arrives in (admin). */
export function mailboxesRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/mailboxes', async (req, res) => {
    const mailbox = await createMailbox(ctx, actorOf(res), parseBody(createMailboxInput, req.body));
    res.status(201).location(`/api/v1/mailboxes/${mailbox.id}`).json(mailbox);
  });
  router.get('/mailboxes', async (_req, res) => {
    res.json({ items: await listMailboxes(ctx, actorOf(res)), nextCursor: null });
  });
  router.get('/mailboxes/:id', async (req, res) => {
    res.json(await getMailbox(ctx, actorOf(res), idParam(req, 'mailbox')));
  });
  router.patch('/mailboxes/:id', async (req, res) => {
    const input = parseBody(updateMailboxInput, req.body);
    res.json(await updateMailbox(ctx, actorOf(res), idParam(req, 'mailbox'), input));
  });
  router.delete('/mailboxes/:id', async (req, res) => {
    await deleteMailbox(ctx, actorOf(res), idParam(req, 'mailbox'));
    res.status(204).end();
  });
  return router;
}
