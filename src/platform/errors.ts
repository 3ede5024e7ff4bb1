/**
 * Application errors: one small class per kind, each with a stable `code` that clients can
 * switch on. They are turned into RFC 9457 problem responses in one place
 * (`src/app/problem-handler.ts`); services throw them and never build HTTP responses.
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly fields: FieldError[] | undefined;

  constructor(code: string, message: string, fields?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.fields = fields;
  }
}

export class Invalid extends AppError {
  readonly status = 400;
}

export class Unauthorized extends AppError {
  readonly status = 401;
}

export class Forbidden extends AppError {
  readonly status = 403;
}

export class NotFound extends AppError {
  readonly status = 404;
}

export class Conflict extends AppError {
  readonly status = 409;
}

/** It existed, and can't be used any more (a spent one-time link). */
export class Gone extends AppError {
  readonly status = 410;
}

/** Well-formed, but the server can't act on it (an id of nothing here, an amount past a limit). */
export class Unprocessable extends AppError {
  readonly status = 422;
}

export class PayloadTooLarge extends AppError {
  readonly status = 413;
}

/** The body is of a type this endpoint does not take (a photo that is no image). */
export class UnsupportedMediaType extends AppError {
  readonly status = 415;
}

export class RateLimited extends AppError {
  readonly status = 429;
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export class Unavailable extends AppError {
  readonly status = 503;
}
