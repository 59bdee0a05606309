import type { ErrorRequestHandler, Response } from 'express';
import {
  DomainError,
  InvalidInput,
  PreconditionFailed,
  TooManyRequests,
  type DomainErrorKind,
  type FieldError,
} from '../errors';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import { pgErrorCode } from '../db/transaction';
import type { Logger } from '../logger';
import type { DependencyHealth } from './dependency-health';

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

/** Each kind of domain error as HTTP; a new kind does not compile until it is listed here. */
const PROBLEM_OF_KIND: Record<DomainErrorKind, { slug: string; title: string; status: number }> = {
  'invalid-input': { slug: 'validation-error', title: 'Invalid request', status: 400 },
  unauthenticated: { slug: 'unauthenticated', title: 'Authentication required', status: 401 },
  forbidden: { slug: 'forbidden', title: 'Forbidden', status: 403 },
  'not-found': { slug: 'not-found', title: 'Not found', status: 404 },
  conflict: { slug: 'conflict', title: 'Conflict', status: 409 },
  'precondition-failed': { slug: 'precondition-failed', title: 'Version mismatch', status: 412 },
  gone: { slug: 'gone', title: 'Gone', status: 410 },
  'too-many-requests': { slug: 'too-many-requests', title: 'Too many requests', status: 429 },
};

/** The one place where domain errors become HTTP: the error's kind picks the status. */
export function problemForDomainError(error: DomainError): Problem {
  const { slug, title, status } = PROBLEM_OF_KIND[error.kind];
  const base = problem(slug, title, status, error.message);
  if (error instanceof InvalidInput) return { ...base, errors: error.errors };
  if (error instanceof PreconditionFailed) return { ...base, currentVersion: error.currentVersion };
  if (error instanceof TooManyRequests) {
    return { ...base, retryAfterSeconds: error.retryAfterSeconds };
  }
  return base;
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

/** SQLSTATE class 22: data exception (a value out of range, invalid text, bad Unicode). */
function isDataException(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && code.startsWith('22');
}

/** Seconds a client should wait before retrying when the database is out of reach. */
export const RETRY_AFTER_SECONDS = 5;

/** The database cannot serve us right now: the request itself was fine, so say when to retry. */
export function sendServiceUnavailable(res: Response, detail: string): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  sendProblem(res, problem('service-unavailable', 'Service unavailable', 503, detail));
}

export function errorHandler(logger: Logger, health?: DependencyHealth): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DomainError) {
      if (error instanceof TooManyRequests) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      sendProblem(res, problemForDomainError(error));
      return;
    }
    const parserProblem = problemForParserError(error as BodyParserError);
    if (parserProblem) {
      sendProblem(res, parserProblem);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      health?.recordFailure('postgres');
      logger.warn({ err: error, method: req.method, url: req.originalUrl }, 'database unavailable');
      sendServiceUnavailable(res, 'The database is unavailable or busy right now. Retry shortly.');
      return;
    }
    if (isDataException(error)) {
      // A value Postgres refused (class 22, e.g. a time out of range): the validators should
      // have caught it, so it is logged as their gap, but it is still the client's input.
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'validator gap');
      sendProblem(
        res,
        problem(
          'validation-error',
          'Invalid request',
          400,
          'The request holds a value that cannot be stored.',
        ),
      );
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
