import { useEffect, useState } from 'react';
import { addAddress, addressLine, filledIn, listAddresses, sameAddress, type SavedAddress, type ShippingAddress } from '../addressBook.ts';
import { useI18n } from '../i18n.tsx';

export interface SavedAddresses {
  saved: SavedAddress[];
  save: boolean;
  setSave(save: boolean): void;
  /** After the order is placed: keeps the address in the book when asked to and it isn't there yet. */
  saveIfAsked(address: ShippingAddress): Promise<void>;
}

/** Loads the address book once and fills the form with the default address. */
export function useSavedAddresses(fill: (address: Record<string, string>) => void): SavedAddresses {
  const [saved, setSaved] = useState<SavedAddress[]>([]);
  const [save, setSave] = useState(false);
  useEffect(() => {
    let live = true;
    listAddresses().then((items) => {
      if (!live) return;
      setSaved(items);
      const preferred = items.find((item) => item.isDefault);
      if (preferred) fill({ ...preferred.address });
    }, () => undefined);
    return () => {
      live = false;
    };
    // Once per visit: a later change of the form is the shopper's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return {
    saved,
    save,
    setSave,
    async saveIfAsked(address) {
      if (!save || saved.some((item) => sameAddress(item.address, address))) return;
      // The order stands either way; a full address book only means this one isn't kept.
      await addAddress(address).catch(() => undefined);
    },
  };
}

/** Above the form: pick a saved address. */
export function SavedAddressPicker({ book, address, onPick }: { book: SavedAddresses; address: Record<string, string>; onPick(address: Record<string, string>): void }) {
  const { t } = useI18n();
  if (book.saved.length === 0) return null;
  const current = book.saved.find((item) => sameAddress(item.address, filledIn(address)));
  return (
    <div className="field">
      <label htmlFor="saved-address">{t('savedAddresses')}</label>
      <select id="saved-address" value={current?.id ?? ''} onChange={(e) => {
        const picked = book.saved.find((item) => item.id === e.target.value);
        onPick(picked ? { ...picked.address } : { country: 'CN' });
      }}>
        <option value="">{t('newAddress')}</option>
        {book.saved.map((item) => (
          <option key={item.id} value={item.id}>{item.isDefault ? `${t('defaultAddress')} · ` : ''}{addressLine(item.address)}</option>
        ))}
      </select>
    </div>
  );
}

/** Below the form: keep a new address in the address book. */
export function SaveAddressOption({ book, address }: { book: SavedAddresses; address: Record<string, string> }) {
  const { t } = useI18n();
  if (book.saved.some((item) => sameAddress(item.address, filledIn(address)))) return null;
  return (
    <label className="save-address">
      <input type="checkbox" checked={book.save} onChange={(e) => book.setSave(e.target.checked)} /> {t('saveToAddressBook')}
    </label>
  );
}
