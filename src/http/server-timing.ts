import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Adds `Server-Timing: app;dur=<ms>` to every response: the time from the request reaching the
 * app to its headers being written. Express writes the headers of a JSON answer together with
 * its body, so this covers the query, the view and the serialisation, but not the network. It
 * lets an operator (or a benchmark) tell server time from client time without a metrics scrape.
 */
export function serverTimingMiddleware(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (!this.headersSent) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        this.setHeader('Server-Timing', `app;dur=${ms.toFixed(2)}`);
      }
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    next();
  };
}
