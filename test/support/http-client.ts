type Json = Record<string, any>;

/** A JSON client for a Bazaar server started as a child process, scoped to one platform. */
export function platformClient(baseUrl: () => string, tenant: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'x-tenant': tenant, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
  };
}

/**
 * A JSON client for a server process that throws on any status from 300 up, so a setup step that
 * fails says which call and why. A checkout is sent with `checkoutKey` as its Idempotency-Key.
 */
export function strictClient(baseUrl: () => string, checkoutKey: string) {
  return async (method: string, path: string, body?: Json, token?: string): Promise<Json> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(path.endsWith('/checkout') ? { 'idempotency-key': checkoutKey } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Json>;
  };
}
