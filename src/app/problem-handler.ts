import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, Invalid, RateLimited, type FieldError } from '../platform/errors.ts';

/**
 * The one place where errors become HTTP: RFC 9457 problem details with a stable `code`.
 * Anything not recognized as the client's fault is a 500 that is logged and described
 * vaguely, so internals never leak.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

/** Answers a URL no route matched before it becomes a 404 (the storefront's page URLs). */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

export function registerProblemHandler(app: FastifyInstance, pageFallback?: PageFallback): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    }
    if (error instanceof RateLimited) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler(
    (request, reply) =>
      pageFallback?.(request, reply) ??
      sendProblem(reply, problem(request, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

/**
 * Errors the router raises before any route runs (undecodable URL, over-long path parameter);
 * Fastify hands them to this function rather than to the error handler.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, problem(request, 414, 'uri_too_long', 'A path segment of this URL is too long.'));
  }
  return sendProblem(reply, problem(request, 400, 'bad_url', 'The URL is not validly encoded.'));
}

/**
 * Errors Node's HTTP parser raises before there is a request (headers too large, malformed
 * request line, a timeout): answered as problems too, then the connection is closed, as Node
 * itself would.
 */
export function clientErrors(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'malformed_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ type: `urn:bazaar:problem:${code}`, title: STATUS_CODES[status], status, code, detail, instance: '/' });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * One Host header, or none: with two, Node keeps the first, and a proxy in front may have
 * routed by the other, so the request could reach a platform other than the one it was sent to.
 */
export function assertSingleHost(rawHeaders: readonly string[]): void {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 4 && rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) throw new Invalid('duplicate_host', 'Send one Host header, not several.');
}

/** Query strings whose percent-escapes don't decode to UTF-8 are refused, not kept as text. */
export function assertDecodableQuery(url: string): void {
  const query = url.indexOf('?');
  if (query === -1) return;
  try {
    decodeURIComponent(url.slice(query + 1).replace(/\+/g, ' '));
  } catch {
    throw new Invalid('bad_url', 'The query string is not validly percent-encoded UTF-8.');
  }
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}

export function problem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `urn:bazaar:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    instance: request.url.split('?')[0] ?? '/',
    requestId: request.id,
    ...(errors ? { errors } : {}),
  };
}

function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    return problem(request, error.status, error.code, error.message, error.fields);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'is invalid',
    }));
    return problem(request, 400, 'validation_failed', 'The request does not match the schema.', errors);
  }
  const fromFastify = FASTIFY_CODES[error.code];
  if (fromFastify) {
    return problem(request, fromFastify.status, fromFastify.code, fromFastify.detail);
  }
  const pgProblem = fromPostgres(error as FastifyError & { code?: string });
  if (pgProblem) {
    return problem(request, pgProblem.status, pgProblem.code, pgProblem.detail);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return problem(request, error.statusCode, 'bad_request', error.message);
  }
  return problem(request, 500, 'internal_error', 'Something went wrong on our side; it has been logged.');
}

const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', detail: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    detail: 'The body is empty but the content type says JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_request',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', detail: 'The URL is not validly encoded.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'bad_request', detail: 'The request could not be routed.' },
};

/**
 * A safety net for database errors that can only come from input the schemas let through.
 * Services are expected to catch the ones they anticipate and throw a precise error instead.
 */
function fromPostgres(error: { code?: string }): { status: number; code: string; detail: string } | undefined {
  const sqlState = typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
  if (!sqlState) return undefined;
  if (sqlState === '23505') return { status: 409, code: 'conflict', detail: 'That value is already taken.' };
  if (sqlState === '23503') return { status: 409, code: 'conflict', detail: 'A referenced object does not exist.' };
  if (sqlState.startsWith('22')) return { status: 400, code: 'invalid_value', detail: 'A value is out of range or malformed.' };
  return undefined;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
