import nodemailer from 'nodemailer';
import type { Notifier } from './notifier.ts';

/** Mails each message through the SMTP server at `url` (smtp:// or smtps://, credentials in it). */
export function createSmtpNotifier(options: { url: string; from: string }): Notifier {
  const transport = nodemailer.createTransport(options.url);
  return {
    kind: 'smtp',
    async send(notification) {
      // A phone-only account can't be mailed; SMS needs an adapter of its own.
      if (!notification.to.email) throw new Error('the account has no email address to mail');
      await transport.sendMail({ from: options.from, to: notification.to.email, subject: notification.subject, text: notification.text });
    },
    async close() {
      transport.close();
    },
  };
}
