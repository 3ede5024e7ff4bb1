import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useStore } from '../store.tsx';
import { addToWishlist, listWishlist, removeFromWishlist } from '../wishlist.ts';

/** The heart on a product page: adds to or removes from the wishlist; a guest is sent to log in. */
export function WishlistButton({ productId }: { productId: string }) {
  const { t, locale } = useI18n();
  const { signedIn } = useStore();
  const navigate = useNavigate();
  const [wished, setWished] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    listWishlist(locale).then((items) => live && setWished(items.some((item) => item.productId === productId)), () => undefined);
    return () => {
      live = false;
    };
  }, [signedIn, productId, locale]);

  async function toggle() {
    if (!signedIn) return void navigate(`/login?next=/p/${productId}`);
    setProblem(null);
    try {
      if (wished) await removeFromWishlist(productId);
      else await addToWishlist(productId);
      setWished(!wished);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  }

  return (
    <>
      <button type="button" className="secondary wish-button" aria-pressed={wished} onClick={() => void toggle()}>
        {wished ? '♥' : '♡'} {t(wished ? 'inWishlist' : 'addToWishlist')}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
