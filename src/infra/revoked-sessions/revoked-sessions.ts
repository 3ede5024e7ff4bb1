/**
 * Sessions revoked recently enough that something they issued off the database (a flash-sale
 * purchase token) may still be alive. Flash attempts check this set instead of the sessions
 * table, so logging out ends those tokens without putting the database on the hot path. An entry
 * is kept only as long as such a token can live.
 */
export interface RevokedSessions {
  readonly kind: 'memory' | 'redis';
  revoke(sessionIds: readonly string[]): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}
