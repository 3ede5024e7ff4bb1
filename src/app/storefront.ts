import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const STOREFRONT_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * Serves the built storefront and admin console (`npm run build:web`, run by `npm install`) from
 * the same server.
 * Hashed assets are cached for a year; index.html never, so a deploy shows at once. Returns the
 * fallback that answers page URLs (`/p/…`, `/cart`, `/admin/orders`) with the app's index.html, or undefined when no
 * storefront has been built.
 */
export async function registerStorefront(app: FastifyInstance): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined) | undefined> {
  if (!existsSync(`${STOREFRONT_DIR}index.html`)) return undefined;
  await app.register(fastifyStatic, {
    root: STOREFRONT_DIR,
    prefix: '/',
    decorateReply: false,
    wildcard: false,
    setHeaders(response, path) {
      void response.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // The console's pages live under /admin/; the bare prefix (what the banner prints) leads there.
    if (path === '/admin' && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.redirect(`/admin/${request.url.slice(path.length)}`, 301);
    }
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (!wantsPage || path.startsWith('/api/') || path.startsWith('/static/')) return undefined;
    const page = path === '/admin' || path.startsWith('/admin/') ? 'admin/index.html' : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(page, STOREFRONT_DIR);
  };
}
