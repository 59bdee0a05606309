import express, { Router, type Request, type RequestHandler } from 'express';
import type { ServiceContext } from '../context';
import { InvalidInput } from '../errors';
import { actorOf, idParam, ticketParam } from '../http/request-context';
import { attachmentLimitsOf } from './attachment-limits';
import { downloadAttachment, listTicketAttachments, uploadAttachment } from './attachments.service';
import { contentDisposition, servedContentType } from './content-type';

/** The file name of an upload: ?filename=, else X-Filename (percent-encoded), else Content-Disposition. */
function uploadFilename(req: Request): string {
  const fromQuery = typeof req.query.filename === 'string' ? req.query.filename : undefined;
  const header = req.get('x-filename');
  let fromHeader: string | undefined;
  try {
    fromHeader = header ? decodeURIComponent(header) : undefined;
  } catch {
    throw InvalidInput.field('X-Filename', 'must be percent-encoded UTF-8');
  }
  const disposition = /filename="?([^";]+)"?/i.exec(req.get('content-disposition') ?? '')?.[1];
  const name = (fromQuery ?? fromHeader ?? disposition)?.trim();
  if (!name) {
    throw InvalidInput.field('filename', 'is required: pass ?filename= or an X-Filename header');
  }
  if (name.length > 255) throw InvalidInput.field('filename', 'must be at most 255 characters');
  return name;
}

/**
 * Attachments: listed on the ticket, downloaded by whoever may read it, uploaded raw by agents for
 * their replies. Mounted before the JSON body parser (uploads are raw bytes), so app.ts hands it the API's
 * authentication (bearer token or console session).
 */
export function attachmentsRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const router = Router();
  router.get('/tickets/:id/attachments', auth, async (req, res) => {
    const items = await listTicketAttachments(ctx, actorOf(res), ticketParam(req));
    res.json({ items, nextCursor: null });
  });
  router.get('/attachments/:id', auth, async (req, res) => {
    const { attachment, bytes } = await downloadAttachment(
      ctx,
      actorOf(res),
      idParam(req, 'attachment'),
    );
    res
      .status(200)
      .set({
        'Content-Type': servedContentType(attachment.contentType),
        'Content-Disposition': contentDisposition(attachment.filename),
        'Content-Length': String(bytes.length),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      })
      .end(bytes);
  });
  router.post(
    '/tickets/:id/attachments',
    auth,
    (req, res, next) =>
      express.raw({ type: () => true, limit: attachmentLimitsOf(ctx).maxBytes })(req, res, next),
    async (req, res) => {
      const filename = uploadFilename(req);
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const attachment = await uploadAttachment(ctx, actorOf(res), ticketParam(req), {
        filename,
        declaredType: req.get('content-type'),
        bytes,
      });
      res.status(201).location(attachment.downloadUrl).json(attachment);
    },
  );
  return router;
}
