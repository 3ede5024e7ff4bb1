/**
 * The storefront's API client. The platform is the one the page was reached by: its host, or
 * `?tenant=<slug>` (kept for the session so links inside the store keep working).
 */
import { ApiError, requestJson } from '../../shared/http.ts';

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

/** A file's URL as an <img> can load it: images send no X-Tenant, so the platform goes in the query. */
export function fileUrl(url: string): string {
  return tenant ? `${url}?tenant=${encodeURIComponent(tenant)}` : url;
}

/** Uploads one photo as multipart/form-data; the server checks its size and type. */
export async function uploadPhoto(file: File, purpose: 'review_photo' | 'return_photo' = 'review_photo'): Promise<{ id: string; url: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const token = customerToken();
  const response = await fetch(`/api/store/files?purpose=${purpose}`, {
    method: 'POST',
    body: form,
    headers: { ...(tenant ? { 'x-tenant': tenant } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  }).catch(() => {
    throw new ApiError({ status: 0, code: 'network_error', detail: 'The server could not be reached. Check the connection and try again.' });
  });
  const json = (await response.json().catch(() => ({}))) as { id: string; url: string; code?: string; detail?: string };
  if (!response.ok) throw new ApiError({ status: response.status, code: json.code ?? 'error', detail: json.detail ?? response.statusText });
  return json;
}
