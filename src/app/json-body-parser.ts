import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { Invalid } from '../platform/errors.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Replaces Fastify's JSON parser with one that refuses invalid UTF-8 instead of silently turning
 * it into U+FFFD, and refuses prototype-poisoning keys, each with a clear 400.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(/^application\/(?:[\w.+-]+\+)?json$/, { parseAs: 'buffer' }, (_request, body, done) => {
    const buffer = body as Buffer;
    if (buffer.length === 0) {
      done(new Invalid('malformed_json', 'The body is empty but the content type says JSON.'), undefined);
      return;
    }
    let textBody: string;
    try {
      textBody = strictUtf8.decode(buffer);
    } catch {
      done(new Invalid('invalid_utf8', 'The body is not valid UTF-8.'), undefined);
      return;
    }
    try {
      done(null, secureJsonParse.parse(textBody, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unreadable';
      done(new Invalid('malformed_json', `The body is not valid JSON: ${reason}`), undefined);
    }
  });
}
