/**
 * The storefront's API client. The platform is the one the page was reached by: its host, or
 * `?tenant=<slug>` (kept for the session so links inside the store keep working).
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
}

const tenantFromUrl = new URLSearchParams(window.location.search).get('tenant');
if (tenantFromUrl) sessionStorage.setItem('bazaar.tenant', tenantFromUrl);
const tenant = sessionStorage.getItem('bazaar.tenant');

export function customerToken(): string | null {
  return localStorage.getItem(`bazaar.token.${tenant ?? window.location.host}`);
}

export function setCustomerToken(token: string | null): void {
  const key = `bazaar.token.${tenant ?? window.location.host}`;
  if (token) localStorage.setItem(key, token);
  else localStorage.removeItem(key);
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = customerToken();
  const response = await fetch(path, {
    method,
    headers: {
      ...(tenant ? { 'x-tenant': tenant } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const problem = json as Partial<Problem>;
    throw new ApiError({ status: response.status, code: problem.code ?? 'error', detail: problem.detail ?? response.statusText, errors: problem.errors });
  }
  return json as T;
}
