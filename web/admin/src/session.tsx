import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { ApiError, requestJson, type Problem } from '../../shared/http.ts';

export type StaffRole = 'viewer' | 'operator' | 'admin' | 'owner';

export interface StaffSession {
  /** The platform's slug, sent as X-Tenant: the console can manage any platform from one host. */
  tenant: string;
  token: string;
  staff: { id: string; email: string; name: string | null; role: StaffRole };
}

const RANK: Record<StaffRole, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };
const KEY = 'bazaar.admin.session';

function load(): StaffSession | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as StaffSession | null;
  } catch {
    return null;
  }
}

interface SessionState {
  session: StaffSession | null;
  signIn(session: StaffSession): void;
  signOut(): void;
  /** Whether the signed-in staff member has at least this role. */
  can(role: StaffRole): boolean;
  /** A staff API call for the signed-in platform; a 401 ends the session. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A staff file (a CSV export) as a Blob: the token goes in a header, never in a URL. */
  download(path: string): Promise<Blob>;
}

const Context = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StaffSession | null>(load);

  const signIn = useCallback((next: StaffSession) => {
    localStorage.setItem(KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(KEY);
    setSession(null);
  }, []);

  const api = useCallback(
    async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      if (!session) throw new Error('not signed in');
      try {
        return await requestJson<T>(method, path, body, { 'x-tenant': session.tenant, authorization: `Bearer ${session.token}` });
      } catch (error) {
        if ((error as { problem?: { status: number } }).problem?.status === 401) signOut();
        throw error;
      }
    },
    [session, signOut],
  );

  const download = useCallback(
    async (path: string): Promise<Blob> => {
      if (!session) throw new Error('not signed in');
      const response = await fetch(path, { headers: { 'x-tenant': session.tenant, authorization: `Bearer ${session.token}` } });
      if (response.status === 401) signOut();
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
        throw new ApiError({ status: response.status, code: problem.code ?? 'error', detail: problem.detail ?? response.statusText, errors: problem.errors });
      }
      return response.blob();
    },
    [session, signOut],
  );

  const can = useCallback((role: StaffRole) => (session ? RANK[session.staff.role] >= RANK[role] : false), [session]);

  return <Context.Provider value={{ session, signIn, signOut, can, api, download }}>{children}</Context.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
