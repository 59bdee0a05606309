import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { tokenAuthenticator } from '../agents/authenticate';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput } from '../errors';
import { sendProblem } from '../http/problem';
import { actorOf, authenticate } from '../http/request-context';
import { parseQuery } from '../http/validate';
import { receiveEmailWithAttachments } from './receive-email-with-attachments';
import { inboundEmailQuery } from './inbound-email';

const MAIL_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];
const MAX_MAIL_BYTES = '10mb';

/** Email gateways are integrations; an admin may post a message by hand. */
function requireGateway(_req: Request, res: Response, next: NextFunction): void {
  const { role } = actorOf(res);
  if (role !== 'integration' && role !== 'admin') {
    throw new Forbidden(
      'Only an integration (the email gateway) or an admin can post inbound email.',
    );
  }
  next();
}

function requireRawMail(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(MAIL_TYPES)) {
    sendProblem(res, {
      type: '/problems/unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: `Send the raw email as ${MAIL_TYPES.join(', ')}.`,
    });
    return;
  }
  next();
}

/** POST /api/v1/inbound/email (integration role): a raw RFC 822 message from an email gateway. */
export function inboundEmailRoutes(ctx: ServiceContext): Router {
  const router = Router();
  // Mounted before the JSON body parser and the API's authentication, so it does both itself.
  router.post(
    '/inbound/email',
    authenticate(tokenAuthenticator(ctx.dataSource)),
    requireGateway,
    requireRawMail,
    express.raw({ type: MAIL_TYPES, limit: MAX_MAIL_BYTES }),
    async (req, res) => {
      const query = parseQuery(inboundEmailQuery, req.query);
      const raw: unknown = req.body;
      if (!Buffer.isBuffer(raw) || raw.length === 0) {
        throw InvalidInput.field('body', 'must be the raw RFC 822 message');
      }
      const outcome = await receiveEmailWithAttachments(ctx, actorOf(res), raw, query);
      const status = outcome.result === 'created' && outcome.created ? 201 : 200;
      res.status(status).json(outcome);
    },
  );
  return router;
}
