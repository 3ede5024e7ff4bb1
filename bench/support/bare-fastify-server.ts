/**
 * The framework's own ceiling: Fastify with nothing of Bazaar's (no hooks, no logger, no
 * validation), answering the same JSON as Bazaar's `/bench/hello`. Started by the benches as a
 * process of its own, so the tables show what Bazaar's pipeline costs over Fastify itself.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`bare Fastify on ${address}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
