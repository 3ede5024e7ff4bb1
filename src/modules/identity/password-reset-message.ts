import type { Notification } from '../../infra/notify/notifier.ts';

const TEXTS = {
  'zh-CN': {
    subject: (shop: string) => `重设您在 ${shop} 的密码`,
    body: (shop: string, link: string, minutes: number) =>
      `您好，\n\n有人请求重设您在 ${shop} 的账户密码。请在 ${minutes} 分钟内打开以下链接设置新密码：\n\n${link}\n\n如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。`,
  },
  en: {
    subject: (shop: string) => `Reset your password at ${shop}`,
    body: (shop: string, link: string, minutes: number) =>
      `Hello,\n\nSomeone asked to reset the password of your account at ${shop}. Open this link within ${minutes} minutes to choose a new one:\n\n${link}\n\nIf this wasn't you, ignore this message; your password stays as it is.`,
  },
};

/** The reset message in the platform's default locale (Chinese for any zh-*, else English). */
export function passwordResetMessage(input: {
  locale: string;
  shopName: string;
  link: string;
  validMinutes: number;
  to: Notification['to'];
}): Notification {
  const texts = input.locale.startsWith('zh') ? TEXTS['zh-CN'] : TEXTS.en;
  return { to: input.to, subject: texts.subject(input.shopName), text: texts.body(input.shopName, input.link, input.validMinutes), link: input.link };
}
