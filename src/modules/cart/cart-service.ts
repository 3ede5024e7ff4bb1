import type { Database, Tx } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSellsIn, type Platform } from '../tenants/platform.ts';
import { addLineAndLoad, loadCartLines, type CartLineDetail } from './cart-lines.ts';
import { priceCart, type PricedCart } from './cart-pricing.ts';
import { previewCheckout, type CheckoutPreview } from './checkout-preview.ts';
import type { AddressLike } from './destination.ts';
import * as store from './cart-store.ts';

export const MAX_LINE_QUANTITY = 999;
const MAX_LINES = 100;

export interface CartView extends PricedCart {
  id: string;
  customerId: string | null;
  currency: string;
  status: 'active' | 'merged' | 'converted';
}

/** Who is asking: a logged-in customer, or a guest holding the cart id. */
export type Shopper = { customerId: string | null };

export interface CartService {
  createCart(platform: Platform, shopper: Shopper, input: { currency?: string | undefined }): Promise<CartView>;
  getCart(platform: Platform, shopper: Shopper, cartId: string): Promise<CartView>;
  addLine(platform: Platform, shopper: Shopper, cartId: string, input: { variantId: string; quantity: number }): Promise<CartView>;
  setQuantity(platform: Platform, shopper: Shopper, cartId: string, variantId: string, quantity: number): Promise<CartView>;
  removeLine(platform: Platform, shopper: Shopper, cartId: string, variantId: string): Promise<CartView>;
  applyCoupon(platform: Platform, shopper: Shopper, cartId: string, code: string | null): Promise<CartView>;
  /** The cart as checkout would charge it for this address, with the shipping options there. */
  previewCheckout(platform: Platform, shopper: Shopper, cartId: string, input: { shippingAddress: AddressLike; shippingMethodId?: string | undefined }): Promise<CartView & CheckoutPreview>;
  /** At login: the guest cart's lines join the customer's active cart (or it becomes theirs). */
  mergeGuestCart(platform: Platform, customerId: string, guestCartId: string): Promise<CartView>;
}

export function createCartService(deps: { db: Database; clock: Clock; maxOrderTotal: number }): CartService {
  const { db, clock, maxOrderTotal } = deps;

  /** Prices are the cart owner's (a guest cart: the public ones), as of now. */
  function pricingContext(platform: Platform, cart: store.CartRow) {
    return { currency: cart.currency, now: clock.now(), customerId: cart.customerId, maxTotal: maxOrderTotal, pricesIncludeTax: platform.tax.pricesIncludeTax };
  }

  async function view(tx: Tx, platform: Platform, cart: store.CartRow, known?: CartLineDetail[]): Promise<CartView> {
    const context = pricingContext(platform, cart);
    const lines = known ?? (await loadCartLines(tx, cart.id, cart.currency, { customerId: cart.customerId, at: context.now }));
    const priced = await priceCart(tx, lines, cart.couponCode, context);
    return { id: cart.id, customerId: cart.customerId, currency: cart.currency, status: cart.status, ...priced };
  }

  /** Locks the cart and checks that this shopper may change it. */
  async function openCart(tx: Tx, shopper: Shopper, cartId: string, forChange: boolean): Promise<store.CartRow> {
    // A change marks the cart changed as it locks it; should the change be refused, all rolls back.
    const cart = forChange ? await store.lockCartForChange(tx, cartId, clock.now()) : await store.lockCart(tx, cartId);
    if (!cart) throw new NotFound('cart_not_found', 'No such cart.');
    if (cart.customerId && cart.customerId !== shopper.customerId) {
      // Another customer's cart is not found, not forbidden: its existence is not ours to reveal.
      throw new NotFound('cart_not_found', 'No such cart.');
    }
    if (forChange && cart.status !== 'active') throw new Conflict('cart_closed', `This cart is ${cart.status}; start a new one.`);
    return cart;
  }

  /** `apply` may return the cart's lines as they are after it, which saves reading them again. */
  async function change(platform: Platform, shopper: Shopper, cartId: string, apply: (tx: Tx, cart: store.CartRow) => Promise<CartLineDetail[] | void>): Promise<CartView> {
    return db.withTenant(platform.id, async (tx) => {
      const cart = await openCart(tx, shopper, cartId, true);
      const lines = await apply(tx, cart);
      return view(tx, platform, cart, lines ?? undefined);
    });
  }

  return {
    async createCart(platform, shopper, input) {
      const currency = input.currency ?? platform.defaultCurrency;
      assertSellsIn(platform, currency);
      return db.withTenant(platform.id, async (tx) => {
        const cart = await store.insertCart(tx, { tenantId: platform.id, id: newId('cart'), customerId: shopper.customerId, currency, at: clock.now() });
        return view(tx, platform, cart, []);
      });
    },

    getCart: (platform, shopper, cartId) => db.withTenant(platform.id, async (tx) => view(tx, platform, await openCart(tx, shopper, cartId, false))),

    addLine(platform, shopper, cartId, input) {
      return change(platform, shopper, cartId, async (tx, cart) => {
        const line = { tenantId: platform.id, cartId: cart.id, variantId: input.variantId, quantity: input.quantity, at: clock.now() };
        const added = await addLineAndLoad(tx, line, cart, { maxLines: MAX_LINES, maxQuantity: MAX_LINE_QUANTITY }, { customerId: cart.customerId, at: line.at });
        if (!added.variantFound) {
          throw new Invalid('variant_not_found', 'No such product variant.', [{ path: 'body.variantId', message: 'no such variant' }]);
        }
        if (added.lineCount >= MAX_LINES) throw new Conflict('cart_full', `A cart holds at most ${MAX_LINES} different items.`);
        return added.lines;
      });
    },

    setQuantity(platform, shopper, cartId, variantId, quantity) {
      return change(platform, shopper, cartId, async (tx, cart) => {
        const found = quantity === 0 ? await store.removeLine(tx, cart.id, variantId) : await store.setLineQuantity(tx, cart.id, variantId, quantity);
        if (!found) throw new NotFound('line_not_found', 'That item is not in the cart.');
      });
    },

    removeLine(platform, shopper, cartId, variantId) {
      return change(platform, shopper, cartId, async (tx, cart) => {
        if (!(await store.removeLine(tx, cart.id, variantId))) throw new NotFound('line_not_found', 'That item is not in the cart.');
      });
    },

    applyCoupon(platform, shopper, cartId, code) {
      return change(platform, shopper, cartId, async (tx, cart) => {
        await store.updateCart(tx, cart.id, { couponCode: code?.toUpperCase() ?? null }, clock.now());
        cart.couponCode = code?.toUpperCase() ?? null;
      });
    },

    previewCheckout: (platform, shopper, cartId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const cart = await openCart(tx, shopper, cartId, false);
        // Priced for the shopper who will check out, who may be signing a guest cart in.
        const context = { ...pricingContext(platform, cart), customerId: shopper.customerId ?? cart.customerId };
        const lines = await loadCartLines(tx, cart.id, cart.currency, { customerId: context.customerId, at: context.now });
        const preview = await previewCheckout(tx, lines, cart.couponCode, context, { address: input.shippingAddress, shippingMethodId: input.shippingMethodId });
        return { id: cart.id, customerId: cart.customerId, currency: cart.currency, status: cart.status, ...preview };
      }),

    async mergeGuestCart(platform, customerId, guestCartId) {
      return db.withTenant(platform.id, async (tx) => {
        const guest = await store.lockCart(tx, guestCartId);
        if (!guest || guest.status !== 'active') throw new NotFound('cart_not_found', 'No such open cart.');
        if (guest.customerId && guest.customerId !== customerId) throw new Forbidden('cart_not_yours', 'That cart belongs to someone else.');
        const own = await store.findActiveCartOf(tx, customerId);
        const at = clock.now();
        if (!own || own.id === guest.id) {
          await store.updateCart(tx, guest.id, { customerId }, at);
          return view(tx, platform, { ...guest, customerId });
        }
        await store.moveLines(tx, guest.id, own.id, MAX_LINE_QUANTITY);
        await store.updateCart(tx, guest.id, { status: 'merged' }, at);
        const couponCode = own.couponCode ?? guest.couponCode;
        await store.updateCart(tx, own.id, { couponCode }, at);
        return view(tx, platform, { ...own, couponCode });
      });
    },
  };
}
