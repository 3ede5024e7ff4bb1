import { Navigate } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { useStore } from '../store.tsx';
import { AddressBookSection } from './AddressBookSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { WishlistSection } from './WishlistSection.tsx';

/** "My account": the profile, the address book and the wishlist. */
export function AccountPage() {
  const { t } = useI18n();
  const { signedIn } = useStore();
  if (!signedIn) return <Navigate to="/login?next=/account" replace />;
  return (
    <div className="account">
      <h1>{t('account')}</h1>
      <ProfileSection />
      <AddressBookSection />
      <WishlistSection />
    </div>
  );
}
