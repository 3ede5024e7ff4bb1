import type { FastifyInstance } from 'fastify';

/**
 * How the server drains when it closes: Fastify already answers requests that arrive during the
 * drain with 503 (`return503OnClosing`), and Node closes idle keep-alive connections. A
 * keep-alive connection busy with a request when the drain starts would stay open after its
 * answer until the client hung up, holding `close()` back; so every answer sent while draining
 * says `Connection: close`. Registered before the routes, so that it applies to all of them.
 */
export function closeConnectionsWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    app.log.info('stopping: refusing new requests, finishing those in flight');
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}
