import type { z } from 'zod';

/**
 * One API operation as documented: its route (the Express pattern, exactly as registered), and
 * the zod schemas its route validates with (the same objects, imported from *.input.ts: the
 * document is generated from them, never a second copy).
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary?: string;
  /** Longer words on the operation: who sees what, fields beyond API.md. */
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status (201 for creates, 204 for deletes). */
  success: number;
  /** The success body's media type, when not JSON (HTML pages, event streams, files). */
  successType?: string;
  /** The success body (the view's shape, src/openapi/responses.ts); none: a JSON object. */
  response?: z.ZodType;
  /** Other media types the success may come as: a report as text/csv, a status page as JSON. */
  alsoTypes?: Array<{ type: string; response?: z.ZodType }>;
  /** Other success statuses with the same body (200 for an idempotent replay of a create). */
  alsoSuccess?: number[];
  /** Error statuses beyond those every operation of its kind documents (document.ts). */
  errors?: number[];
  /** Errors answered as something else than problem+json (customer pages: HTML, plain text). */
  errorTypes?: Record<number, string>;
}
