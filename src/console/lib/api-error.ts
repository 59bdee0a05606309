export interface FieldError {
  path: string;
  message: string;
}

/** A problem+json answer from the API (or a failure to reach it), typed for the screens. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  /** Seconds to wait, from Retry-After on 429 and 503. */
  readonly retryAfterSeconds: number | null;
  /** The ticket's version now, on 412. */
  readonly currentVersion: number | null;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    fieldErrors?: FieldError[];
    retryAfterSeconds?: number | null;
    currentVersion?: number | null;
  }) {
    super(init.detail ?? init.title ?? `HTTP ${init.status}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.currentVersion = init.currentVersion ?? null;
  }

  /** The API's message for one field (dotted path, e.g. "rootCause.category"), if it named it. */
  fieldMessage(path: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === path)?.message;
  }

  get isNetworkFailure(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
