/**
 * The storefront's API client. The platform is the one the page was reached by: its host, or
 * `?tenant=<slug>` (kept for the session so links inside the store keep working).
 */
import { requestJson } from '../../shared/http.ts';

export { ApiError, type Problem } from '../../shared/http.ts';

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

export function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = customerToken();
  return requestJson<T>(method, path, body, {
    ...(tenant ? { 'x-tenant': tenant } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...headers,
  });
}
