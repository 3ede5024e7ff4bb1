import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { Invalid } from '../../platform/errors.ts';
import { id } from '../../platform/validation.ts';
import { customerOf, type AuthGuards } from '../identity/auth-guards.ts';
import { tooLarge, type FileService } from './files-service.ts';
import { FILE_PURPOSES } from './files-store.ts';

/** What the photo is for (a review's or a return request's): only that owner may attach it. */
const UploadQuery = z.object({ tenant: z.string().max(40).optional(), purpose: z.enum(FILE_PURPOSES).default('review_photo') }).strict();

// A file's bytes never change under its id, so browsers and CDNs may keep it for good.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Photo uploads by customers and serving files back. Mounted under /api/store. */
export async function storeFileRoutes(app: FastifyInstance, deps: { files: FileService; guards: AuthGuards }): Promise<void> {
  const { files } = deps;
  // One file per request and nothing else: the limits stop a client making the server buffer
  // more than one photo's worth.
  await app.register(fastifyMultipart, { limits: { fileSize: files.maxBytes, files: 1, fields: 0, parts: 1, headerPairs: 20 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['files'];

  r.post('/files', { schema: { tags, querystring: UploadQuery }, config: { rawBody: true }, preHandler: deps.guards.customer }, async (request, reply) => {
    if (!request.isMultipart()) throw new Invalid('multipart_required', 'Upload the file as multipart/form-data.');
    let bytes: Buffer | undefined;
    try {
      // Read to the end of the form: a second part is refused, not silently dropped.
      for await (const part of request.parts()) {
        if (part.type !== 'file' || bytes) throw new Invalid('one_file_only', 'Send one file and no other fields.');
        bytes = await part.toBuffer();
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(files.maxBytes);
      if (['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT'].includes(code)) throw new Invalid('one_file_only', 'Send one file and no other fields.');
      throw error;
    }
    if (!bytes) throw new Invalid('file_required', 'The form has no file.');
    const uploaded = await files.upload(platformOf(request), { purpose: request.query.purpose, bytes, uploadedBy: customerOf(request).customerId });
    return reply.status(201).send(uploaded);
  });

  r.get('/files/:id', { schema: { tags, params: z.object({ id: id('file') }).strict() } }, async (request, reply) => {
    const file = await files.find(platformOf(request), request.params.id);
    const etag = `"${file.sha256}"`;
    // Answered from the row alone: the store is not asked for bytes the client already has.
    const body = request.headers['if-none-match'] === etag ? undefined : await files.read(file);
    void reply
      .header('cache-control', IMMUTABLE)
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline');
    if (!body) return reply.status(304).send();
    return reply.type(file.contentType).header('content-length', file.sizeBytes).send(body);
  });
}
