import type { ErrorRequestHandler, Response } from 'express';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  PreconditionFailed,
  Unauthenticated,
  type FieldError,
} from '../errors';
import type { Logger } from '../logger';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function sendProblem(res: Response, problem: Problem): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="ownit"');
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

function problem(slug: string, title: string, status: number, detail: string): Problem {
  return { type: `/problems/${slug}`, title, status, detail };
}

/** The one place where domain errors become HTTP. */
export function problemForDomainError(error: DomainError): Problem {
  if (error instanceof InvalidInput) {
    return {
      ...problem('validation-error', 'Invalid request', 400, error.message),
      errors: error.errors,
    };
  }
  if (error instanceof Unauthenticated) {
    return problem('unauthenticated', 'Authentication required', 401, error.message);
  }
  if (error instanceof Forbidden) return problem('forbidden', 'Forbidden', 403, error.message);
  if (error instanceof NotFound) return problem('not-found', 'Not found', 404, error.message);
  if (error instanceof Conflict) return problem('conflict', 'Conflict', 409, error.message);
  if (error instanceof PreconditionFailed) {
    return {
      ...problem('precondition-failed', 'Version mismatch', 412, error.message),
      currentVersion: error.currentVersion,
    };
  }
  return problem('error', 'Error', 400, error.message);
}

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Errors raised by body parsing (express.json) before our code runs. */
function problemForParserError(error: BodyParserError): Problem | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return problem(
        'payload-too-large',
        'Payload too large',
        413,
        'The request body is too large.',
      );
    case 'entity.parse.failed':
      return {
        ...problem(
          'validation-error',
          'Invalid request',
          400,
          'The request body is not valid JSON.',
        ),
        errors: [{ path: '', message: 'is not valid JSON' }],
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem('unsupported-media-type', 'Unsupported media type', 415, 'Send UTF-8 JSON.');
    default: {
      const status = error.status ?? error.statusCode;
      if (status && status >= 400 && status < 500) {
        return problem('bad-request', 'Bad request', status, 'The request could not be read.');
      }
      return undefined;
    }
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DomainError) {
      sendProblem(res, problemForDomainError(error));
      return;
    }
    const parserProblem = problemForParserError(error as BodyParserError);
    if (parserProblem) {
      sendProblem(res, parserProblem);
      return;
    }
    // A programmer error: log everything, tell the client nothing internal.
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendProblem(
      res,
      problem('internal-error', 'Internal server error', 500, 'Something went wrong on our side.'),
    );
  };
}
