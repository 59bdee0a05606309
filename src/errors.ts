/**
 * Domain errors: thrown by services, mapped to HTTP problem responses in one place
 * (src/http/problem.ts). Anything else that escapes is a programmer error and becomes a 500.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** What kind of refusal a domain error is; src/http/problem.ts maps each kind to one status. */
export type DomainErrorKind =
  | 'invalid-input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'gone'
  | 'too-many-requests';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input, naming each bad field. */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid-input';
  constructor(
    readonly errors: FieldError[],
    message = 'The request has invalid fields.',
  ) {
    super(message);
  }
  static field(path: string, message: string): InvalidInput {
    return new InvalidInput([{ path, message }], `${path}: ${message}`);
  }
}

export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

/** Also used where admitting that the object exists would leak another team's data. */
export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

/** The request is well-formed but conflicts with the current state (e.g. handoff already answered). */
export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

/** If-Match named a version that is no longer current. */
export class PreconditionFailed extends DomainError {
  readonly kind = 'precondition-failed';
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

/** The link or token was valid once but is used up or expired. */
export class Gone extends DomainError {
  readonly kind = 'gone';
}

/** Too many attempts; the caller may try again after `retryAfterSeconds`. */
export class TooManyRequests extends DomainError {
  readonly kind = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
