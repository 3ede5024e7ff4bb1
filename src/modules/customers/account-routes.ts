import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { presentationFor } from '../catalog/index.ts';
import { customerOf, type AuthGuards, type CustomerProfiles } from '../identity/index.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { AddAddressBody, AddressParams, ReplaceAddressBody, UpdateProfileBody, WishlistParams, WishlistQuery } from './account-schema.ts';
import type { AddressBook } from './address-book-service.ts';
import type { Wishlist } from './wishlist-service.ts';

interface Deps {
  profiles: CustomerProfiles;
  addressBook: AddressBook;
  wishlist: Wishlist;
  guards: AuthGuards;
}

/** The signed-in customer's own account: profile, address book, wishlist. Mounted under /api/store. */
export async function accountRoutes(app: FastifyInstance, { profiles, addressBook, wishlist, guards }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const preHandler = guards.customer;
  const me = (request: Parameters<typeof customerOf>[0]) => customerOf(request).customerId;

  r.get('/account/profile', { schema: { tags: ['account'] }, preHandler }, async (request) => profiles.getProfile(platformOf(request), me(request)));

  r.patch('/account/profile', { schema: { tags: ['account'], body: UpdateProfileBody }, preHandler }, async (request) =>
    profiles.updateProfile(platformOf(request), me(request), request.body, request.ip),
  );

  r.get('/account/addresses', { schema: { tags: ['address book'] }, preHandler }, async (request) => ({
    items: await addressBook.list(platformOf(request), me(request)),
  }));

  r.post('/account/addresses', { schema: { tags: ['address book'], body: AddAddressBody }, preHandler }, async (request, reply) =>
    reply.status(201).send(await addressBook.add(platformOf(request), me(request), request.body)),
  );

  r.patch('/account/addresses/:id', { schema: { tags: ['address book'], params: AddressParams, body: ReplaceAddressBody }, preHandler }, async (request) =>
    addressBook.replace(platformOf(request), me(request), request.params.id, request.body.address),
  );

  r.delete('/account/addresses/:id', { schema: { tags: ['address book'], params: AddressParams }, preHandler }, async (request, reply) => {
    await addressBook.remove(platformOf(request), me(request), request.params.id);
    return reply.status(204).send();
  });

  r.post('/account/addresses/:id/default', { schema: { tags: ['address book'], params: AddressParams }, preHandler }, async (request) =>
    addressBook.makeDefault(platformOf(request), me(request), request.params.id),
  );

  await app.register(async (products) => {
    products.addHook('onRequest', requireModule('catalog'));
    const w = products.withTypeProvider<ZodTypeProvider>();
    const tags = ['wishlist'];

    w.get('/account/wishlist', { schema: { tags, querystring: WishlistQuery }, preHandler }, async (request) => {
      const platform = platformOf(request);
      return { items: await wishlist.list(platform, me(request), presentationFor(platform, request.query, request.headers['accept-language'])) };
    });

    // PUT: adding a product twice is the same as adding it once.
    w.put('/account/wishlist/:productId', { schema: { tags, params: WishlistParams }, preHandler }, async (request, reply) => {
      const { added, ...item } = await wishlist.add(platformOf(request), me(request), request.params.productId);
      return reply.status(added ? 201 : 200).send(item);
    });

    w.delete('/account/wishlist/:productId', { schema: { tags, params: WishlistParams }, preHandler }, async (request, reply) => {
      await wishlist.remove(platformOf(request), me(request), request.params.productId);
      return reply.status(204).send();
    });
  });
}
