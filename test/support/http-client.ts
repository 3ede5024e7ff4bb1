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
