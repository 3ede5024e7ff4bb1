import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, customerToken, setCustomerToken } from './api.ts';
import { useI18n } from './i18n.tsx';

export interface Platform {
  slug: string;
  name: string;
  defaultCurrency: string;
  currencies: string[];
  defaultLocale: string;
  locales: string[];
  theme: { primaryColor: string; accentColor: string; logoUrl?: string };
}

export interface CartLine {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  optionValues: Record<string, string>;
  image: { url: string; alt?: string } | null;
  quantity: number;
  unitPrice: number | null;
  lineTotal: number;
  discount: number;
  forSale: boolean;
}

export interface Cart {
  id: string;
  currency: string;
  lines: CartLine[];
  coupon: { code: string; applied: boolean; message?: string } | null;
  subtotal: number;
  discountTotal: number;
  total: number;
  itemCount: number;
}

interface Store {
  platform: Platform;
  cart: Cart | null;
  signedIn: boolean;
  refreshCart(): Promise<void>;
  setCart(cart: Cart | null): void;
  addToCart(variantId: string, quantity: number): Promise<Cart>;
  signIn(token: string, cart?: Cart): void;
  signOut(): Promise<void>;
}

const Context = createContext<Store | null>(null);
const cartKey = () => `bazaar.cart.${sessionStorage.getItem('bazaar.tenant') ?? window.location.host}`;

/** The shopper's session: the platform, the cart and whether they are logged in. */
export function StoreProvider({ platform, children }: { platform: Platform; children: ReactNode }) {
  const [cart, setCartState] = useState<Cart | null>(null);
  const [signedIn, setSignedIn] = useState(() => customerToken() !== null);
  // Cart titles come from the server in the shopper's language.
  const { locale } = useI18n();

  const setCart = useCallback((next: Cart | null) => {
    setCartState(next);
    if (next) localStorage.setItem(cartKey(), next.id);
    else localStorage.removeItem(cartKey());
  }, []);

  const refreshCart = useCallback(async () => {
    const id = localStorage.getItem(cartKey());
    if (!id) return;
    try {
      setCartState(await api<Cart>('GET', `/api/store/carts/${id}?locale=${locale}`));
    } catch {
      setCart(null);
    }
  }, [setCart, locale]);

  useEffect(() => void refreshCart(), [refreshCart]);

  const value: Store = {
    platform,
    cart,
    signedIn,
    refreshCart,
    setCart,
    async addToCart(variantId, quantity) {
      let id = cart?.id ?? localStorage.getItem(cartKey());
      if (!id) id = (await api<Cart>('POST', '/api/store/carts', {})).id;
      const next = await api<Cart>('POST', `/api/store/carts/${id}/lines?locale=${locale}`, { variantId, quantity });
      setCart(next);
      return next;
    },
    signIn(token, merged) {
      setCustomerToken(token);
      setSignedIn(true);
      // The guest cart is now the customer's; load it again in the shopper's language.
      if (merged) {
        setCart(merged);
        void api<Cart>('GET', `/api/store/carts/${merged.id}?locale=${locale}`).then(setCartState, () => undefined);
      }
    },
    async signOut() {
      await api('POST', '/api/store/auth/logout').catch(() => undefined);
      setCustomerToken(null);
      setSignedIn(false);
      setCart(null);
    },
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useStore(): Store {
  const value = useContext(Context);
  if (!value) throw new Error('useStore outside StoreProvider');
  return value;
}
