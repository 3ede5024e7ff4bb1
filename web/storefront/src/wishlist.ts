import { api } from './api.ts';

export interface WishlistItem {
  productId: string;
  title: string;
  image: { url: string; alt?: string } | null;
  priceRange: { min: number; max: number; currency: string } | null;
  available: boolean;
}

export const listWishlist = async (locale: string) => (await api<{ items: WishlistItem[] }>('GET', `/api/store/account/wishlist?locale=${locale}`)).items;
export const addToWishlist = (productId: string) => api<unknown>('PUT', `/api/store/account/wishlist/${productId}`);
export const removeFromWishlist = (productId: string) => api<void>('DELETE', `/api/store/account/wishlist/${productId}`);
