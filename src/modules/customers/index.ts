export { createAddressBook, MAX_ADDRESSES, type AddressBook, type SavedAddress } from './address-book-service.ts';
export { createWishlist, MAX_WISHLIST_ITEMS, type Wishlist, type WishlistItem } from './wishlist-service.ts';
export { accountRoutes } from './account-routes.ts';
export type { CustomerAddressesTable } from './address-book-store.ts';
export type { WishlistItemsTable } from './wishlist-store.ts';
