/**
 * The port through which the platform tells a person something (a password-reset link): written
 * to the log by default, so `npm start` needs nothing else, or mailed through SMTP (`SMTP_URL`).
 */
export interface Notification {
  /** Where the account can be reached; an adapter uses what it can deliver to. */
  to: { email: string | null; phone: string | null };
  subject: string;
  text: string;
  /** The one link the message is about, for adapters that show it apart from the text. */
  link: string;
}

export interface Notifier {
  readonly kind: 'log' | 'smtp';
  /** Resolves once handed over; rejects when it could not be (the caller logs it). */
  send(notification: Notification): Promise<void>;
  close(): Promise<void>;
}
