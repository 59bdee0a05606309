/**
 * Domain errors: thrown by services, mapped to HTTP problem responses in one place
 * (src/http/problem.ts). Anything else that escapes is a programmer error and becomes a 500.
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: string;
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
