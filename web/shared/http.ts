/**
 * The one HTTP client of both web apps: JSON in, JSON out, and every error the server's
 * problem+json (RFC 9457) turned into an ApiError that knows its field messages.
 */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  /** The server's message for one field (`shippingAddress.city`), for showing next to it. */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.path.replace(/^body\./, '') === field)?.message;
  }
  /** Whether any field message is about `prefix` or something inside it. */
  hasFieldErrors(prefix = ''): boolean {
    return this.problem.errors?.some((error) => error.path.replace(/^body\./, '').startsWith(prefix)) ?? false;
  }
}

export async function requestJson<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', detail: 'The server could not be reached. Check the connection and try again.' });
  }
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const problem = json as Partial<Problem>;
    throw new ApiError({ status: response.status, code: problem.code ?? 'error', detail: problem.detail ?? response.statusText, errors: problem.errors });
  }
  return json as T;
}

/** Anything a request threw, as an ApiError (a network failure or a bug becomes one without fields). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ status: 0, code: 'error', detail: error instanceof Error ? error.message : String(error) });
}

/** The message to show for anything a request threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
