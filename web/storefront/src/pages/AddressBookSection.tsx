import { useState, type FormEvent } from 'react';
import { ApiError } from '../api.ts';
import { addAddress, addressLine, filledIn, listAddresses, makeDefaultAddress, removeAddress, replaceAddress, type SavedAddress } from '../addressBook.ts';
import { useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { AddressFields } from './AddressFields.tsx';

/** The address book: the default first, each with edit, delete and "make default". */
export function AddressBookSection() {
  const { t } = useI18n();
  const addresses = useFetch(listAddresses, []);
  // null: no form open; 'new': adding; else the id of the address being edited.
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function act(action: () => Promise<unknown>) {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
    addresses.reload();
  }

  const items = addresses.data ?? [];
  return (
    <section aria-labelledby="address-book">
      <h2 id="address-book">{t('addressBook')}</h2>
      {addresses.error && <p role="alert">{addresses.error}</p>}
      {addresses.data && items.length === 0 && <p className="muted">{t('noAddresses')}</p>}
      <ul className="lines">
        {items.map((saved) => (
          <li key={saved.id} className="line address">
            {editing === saved.id ? (
              <AddressForm saved={saved} onDone={() => { setEditing(null); addresses.reload(); }} />
            ) : (
              <>
                <span>
                  {saved.isDefault && <span className="status">{t('defaultAddress')}</span>} {addressLine(saved.address)}
                </span>
                <span className="actions">
                  {!saved.isDefault && <button type="button" className="link" onClick={() => void act(() => makeDefaultAddress(saved.id))}>{t('makeDefault')}</button>}
                  <button type="button" className="link" onClick={() => setEditing(saved.id)}>{t('edit')}</button>
                  <button type="button" className="link" onClick={() => void act(() => removeAddress(saved.id))}>{t('remove')}</button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {problem && <p role="alert">{problem}</p>}
      {editing === 'new' ? (
        <AddressForm onDone={() => { setEditing(null); addresses.reload(); }} />
      ) : (
        <button type="button" className="secondary" onClick={() => setEditing('new')}>{t('addAddress')}</button>
      )}
    </section>
  );
}

function AddressForm({ saved, onDone }: { saved?: SavedAddress; onDone(): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(saved?.address ?? { country: 'CN' });
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      if (saved) await replaceAddress(saved.id, filledIn(values));
      else await addAddress(filledIn(values));
      onDone();
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    }
  }

  return (
    <form onSubmit={submit} className="checkout" noValidate aria-label={t(saved ? 'editAddress' : 'addAddress')}>
      <AddressFields idPrefix={saved ? `edit-${saved.id}-` : 'new-'} values={values} onChange={setValues} error={error} errorPrefix="address" />
      {error && !error.hasFieldErrors('address') && <p role="alert">{error.message}</p>}
      <span>
        <button type="submit" className="primary">{t('saveAddress')}</button>{' '}
        <button type="button" className="link" onClick={onDone}>{t('cancel')}</button>
      </span>
    </form>
  );
}
