import type { Logger } from 'pino';
import { createLogNotifier } from '../infra/notify/log-notifier.ts';
import type { Notifier } from '../infra/notify/notifier.ts';
import { createSmtpNotifier } from '../infra/notify/smtp-notifier.ts';
import type { Config } from './config.ts';

/** Mail through SMTP when `SMTP_URL` is set; otherwise each message is a JSON log line. */
export function createNotifier(config: Partial<Pick<Config, 'smtpUrl' | 'mailFrom'>>, log: Pick<Logger, 'info'>): Notifier {
  return config.smtpUrl ? createSmtpNotifier({ url: config.smtpUrl, from: config.mailFrom ?? 'Bazaar <no-reply@bazaar.local>' }) : createLogNotifier(log);
}
