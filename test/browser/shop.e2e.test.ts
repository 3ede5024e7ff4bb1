/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * One day at the demo shop, in Chromium, against the server `npm start` runs: a shopper on a
 * phone buys a dress; staff at a desk see the order on the dashboard and ship it; the operator
 * opens a new platform and its storefront answers.
 */
describe.runIf(chromiumAvailable())('the shop in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let orderId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-browser-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('a shopper on a phone', () => {

    it('shows the platform it was reached by, in Chinese, with categories and products', async () => {
      await page.goto(server.url);
      await expect.poll(() => page.locator('.brand').textContent()).toBe('Bazaar 演示商店');
      await page.getByRole('heading', { name: '精选商品' }).waitFor();
      await expect.poll(() => page.locator('.grid .card').count()).toBe(12);
      expect(await page.locator('.chips .chip').count()).toBeGreaterThanOrEqual(5);
      const primary = await page.locator('.header').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(primary).toBe('rgb(228, 57, 60)');
      await screenshot(page, 'storefront-home-zh');
    });

    it('switches to English and finds products by a Chinese search', async () => {
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Featured' }).waitFor();
      await page.getByRole('searchbox').fill('连衣裙');
      await page.getByRole('searchbox').press('Enter');
      await page.getByRole('heading', { name: 'Results for “连衣裙”' }).waitFor();
      await expect.poll(() => page.locator('.grid .card').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('.grid .card-title').allTextContents()).toContain('Floral Summer Dress');
      await screenshot(page, 'storefront-search-en');
    });

    it('picks a variant, sees its price and stock, and adds it to the cart', async () => {
      await page.getByRole('link', { name: /Floral Summer Dress/ }).click();
      await page.getByRole('heading', { name: 'Floral Summer Dress' }).waitFor();
      await page.getByRole('button', { name: 'Black' }).click();
      await page.getByRole('button', { name: 'M', exact: true }).click();
      expect(await page.getByRole('button', { name: 'Black' }).getAttribute('aria-pressed')).toBe('true');
      await page.getByText('In stock').waitFor();
      expect(await page.locator('.price.large').textContent()).toMatch(/199\.00/);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
      await screenshot(page, 'storefront-product');
      await page.getByRole('link', { name: /Cart \(1\)/ }).click();
      await page.getByRole('heading', { name: 'Cart' }).waitFor();
      expect(await page.locator('.line').first().textContent()).toContain('Black / M');
      await screenshot(page, 'storefront-cart');
    });

    it('registers at checkout, shows the server field message, places the order and pays', async () => {
      await page.getByRole('link', { name: 'Check out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByLabel('Email').fill('shopper@example.com');
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.locator('.field .error').first().waitFor();
      await page.getByLabel('Password').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Featured' }).waitFor();

      // The guest cart became the customer's at login.
      await page.getByRole('link', { name: /Cart \(1\)/ }).click();
      await page.getByRole('link', { name: 'Check out' }).click();
      await page.getByRole('heading', { name: 'Shipping address' }).waitFor();
      await page.getByLabel('Name *').fill('王小明');
      await page.getByLabel('Phone *').fill('not a phone');
      await page.getByLabel('City *').fill('杭州市');
      await page.getByLabel('Address *').fill('文三路 100 号');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.locator('#phone-error').waitFor();
      expect(await page.getByLabel('Phone *').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'storefront-checkout-field-error');
      await page.getByLabel('Phone *').fill('+8613800138000');
      await page.getByRole('button', { name: 'Place order' }).click();

      await page.getByRole('heading', { name: 'Bazaar sandbox payment' }).waitFor();
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.getByRole('heading', { name: 'Order placed' }).waitFor();
      await expect.poll(() => page.locator('.status').textContent()).toBe('Paid');
      orderId = new URL(page.url()).pathname.split('/').pop()!;
      await screenshot(page, 'storefront-order-paid');
      await page.getByRole('link', { name: 'My orders' }).click();
      // The order page has lines too: wait for the list's own heading before counting.
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
      await expect.poll(() => page.locator('.lines .line').count()).toBe(1);
    });

    it('forgets the password, follows the mailed link, sets a new one and logs in with it', async () => {
      // Another shopper: a reset ends every session of the account, and the first shopper buys on.
      const json = { 'content-type': 'application/json' };
      const signUp = await fetch(`${server.url}/api/store/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'forgetful@example.com', password: 'an-old-password' }) });
      expect(signUp.status).toBe(201);
      const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await phone.goto(`${server.url}/login`);
      await phone.locator('a[href="/reset-password"]').click();
      await phone.locator('#email').fill('forgetful@example.com');
      await phone.locator('form button[type=submit]').click();
      await phone.getByRole('status').waitFor();
      // Without SMTP the message is a JSON log line of the server's; the link is the mail's.
      let link: string | undefined;
      await expect.poll(() => (link = /"link":"([^"]*#token=bzr_[^"]+)"/.exec(server.output())?.[1])).toBeTruthy();
      await phone.goto(`${server.url}${link}`);
      await phone.locator('#newPassword').fill('a-brand-new-password');
      await phone.locator('form button[type=submit]').click();
      await phone.getByRole('status').waitFor();
      await screenshot(phone, 'storefront-password-reset-done');
      const login = (password: string) =>
        fetch(`${server.url}/api/store/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'forgetful@example.com', password }) });
      expect((await login('an-old-password')).status).toBe(401);
      expect((await login('a-brand-new-password')).status).toBe(200);
      await phone.close();
    });
  });

  describe('staff at a desk', () => {
    let admin: Page;
    beforeAll(async () => {
      admin = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    });

    it('log in (a wrong password is refused), then see the order on the dashboard', async () => {
      const { email, password } = demoStaff(server.output());
      await admin.goto(`${server.url}/admin`);
      await admin.getByRole('heading', { name: 'Staff log in' }).waitFor();
      await expect.poll(() => admin.getByLabel('Platform').inputValue()).toBe('demo');
      await admin.getByLabel('Email').fill(email);
      await admin.getByLabel('Password').fill('not-the-password');
      await admin.getByRole('button', { name: 'Log in' }).click();
      await admin.getByRole('alert').waitFor();
      await admin.getByLabel('Password').fill(password);
      await admin.getByRole('button', { name: 'Log in' }).click();

      await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await expect.poll(() => admin.getByTestId("Today's orders").textContent()).toBe('1');
      expect(await admin.getByTestId("Today's revenue").textContent()).toMatch(/199\.00/);
      expect(await admin.getByRole('img', { name: /Orders per day/ }).count()).toBe(1);
      await admin.getByRole('link', { name: orderId }).waitFor();
      await screenshot(admin, 'admin-dashboard');
    });

    it('open the order and ship it with a tracking number', async () => {
      await admin.getByRole('link', { name: orderId }).click();
      await admin.getByRole('heading', { name: new RegExp(orderId) }).waitFor();
      // The ship panel offers every unit in one parcel, shipped now: the whole order in one go.
      await admin.getByLabel('Tracking number').fill('SF1234567890');
      await admin.getByRole('button', { name: 'Create shipment' }).click();
      await admin.getByRole('status').first().waitFor();
      await expect.poll(() => admin.locator('.badge').first().textContent()).toBe('Shipped');
      await screenshot(admin, 'admin-order-fulfilled');
      await admin.getByRole('link', { name: 'Products' }).click();
      await admin.getByRole('heading', { name: 'Products' }).waitFor();
      await screenshot(admin, 'admin-products');
    });

    it('create a flash sale that starts in seconds; the shopper watches the countdown and wins a unit; staff watch it live', async () => {
      await admin.getByRole('link', { name: 'Flash sales', exact: true }).click();
      await admin.getByRole('heading', { name: 'Flash sales', exact: true }).waitFor();
      await admin.getByLabel('Product search').fill('Floral Summer Dress');
      // The search runs as staff type; wait until it has found the dress.
      await expect.poll(() => admin.getByLabel('Matching product').locator('option:checked').textContent(), { timeout: 10_000 }).toContain('Floral');
      await expect.poll(() => admin.getByLabel('Variant').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(1);
      await admin.getByLabel('Flash price').fill('99.00');
      await admin.getByLabel('Quantity').fill('3');
      const startsAt = new Date(Date.now() + 12_000);
      await admin.getByLabel('Starts at').fill(localInput(startsAt));
      await admin.getByLabel('Ends at').fill(localInput(new Date(startsAt.getTime() + 3_600_000)));
      await screenshot(admin, 'admin-flash-new');
      await admin.getByRole('button', { name: 'Create flash sale' }).click();
      const watch = admin.getByRole('link', { name: 'Watch live' });
      await watch.waitFor();
      await admin.getByRole('link', { name: /Floral Summer Dress/ }).first().waitFor();
      await screenshot(admin, 'admin-flash-created');
      const salePath = await watch.getAttribute('href');
      const saleId = salePath!.split('/').pop()!;

      // The shopper (still logged in on the phone) opens the sale before it starts.
      await page.goto(`${server.url}/flash/${saleId}`);
      await page.getByRole('heading', { name: 'Floral Summer Dress' }).waitFor();
      await expect.poll(() => page.getByTestId('countdown').textContent()).toMatch(/Starts in/);
      expect(await page.getByRole('button', { name: 'Buy now' }).isDisabled()).toBe(true);
      for (const [label, value] of [['Name *', '王小明'], ['Phone *', '+8613800138000'], ['City *', '杭州市'], ['Address *', '文三路 100 号']] as const) {
        await page.getByLabel(label).fill(value);
      }
      await screenshot(page, 'storefront-flash-countdown');
      // At the start the button comes alive without a reload.
      await expect.poll(() => page.getByRole('button', { name: 'Buy now' }).isEnabled(), { timeout: 30_000, interval: 250 }).toBe(true);
      await page.getByRole('button', { name: 'Buy now' }).click();
      await page.getByRole('status').filter({ hasText: 'You got it' }).waitFor();
      await page.getByRole('button', { name: 'Pay now' }).waitFor();
      await screenshot(page, 'storefront-flash-admitted');

      await admin.goto(`${server.url}/admin/flash-sales/${saleId}`);
      await expect.poll(() => admin.getByTestId('sold').textContent(), { timeout: 10_000 }).toBe('1');
      expect(await admin.getByTestId('remaining').textContent()).toBe('2');
      await screenshot(admin, 'admin-flash-live');
    });

    it('the operator creates a platform from a document and its storefront answers seconds later', async () => {
      await admin.goto(`${server.url}/admin/operator`);
      await admin.getByLabel('Operator token').fill(operatorToken(server.output()));
      await admin.getByLabel('Platform document (YAML or JSON)').fill('slug: Not A Slug\nname: x\ndefaultCurrency: CNY\n');
      await admin.getByRole('button', { name: 'Create platform' }).click();
      await admin.getByRole('alert').waitFor();
      expect(await admin.getByRole('alert').textContent()).toContain('slug');

      await admin.getByLabel('Platform document (YAML or JSON)').fill(TEA_HOUSE);
      await admin.getByRole('button', { name: 'Create platform' }).click();
      await admin.getByRole('status').filter({ hasText: 'Tea House' }).waitFor();
      const preview = admin.frameLocator('iframe.preview');
      await expect.poll(() => preview.locator('.brand').textContent()).toBe('茶馆 Tea House');
      await screenshot(admin, 'admin-operator-created');

      const shopper = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
      await shopper.goto(`${server.url}/?tenant=tea-house`);
      await expect.poll(() => shopper.locator('.brand').textContent()).toBe('茶馆 Tea House');
      const primary = await shopper.locator('.header').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(primary).toBe('rgb(15, 118, 110)');
      await shopper.getByText(/Nothing here yet|这里还没有商品/).first().waitFor();
      await screenshot(shopper, 'storefront-new-platform');
      await shopper.close();
    });
  });
});

const TEA_HOUSE = `slug: tea-house
name: 茶馆 Tea House
defaultCurrency: CNY
defaultLocale: en
locales: [zh-CN]
theme:
  primaryColor: "#0f766e"
  accentColor: "#f59e0b"
`;

/** A time as a datetime-local input wants it, in this machine's zone (the browser's too). */
function localInput(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function demoStaff(output: string): { email: string; password: string } {
  const match = /Demo staff:\s+(\S+) \/ (\S+)/.exec(output);
  if (!match) throw new Error(`no demo staff in the server's banner:\n${output}`);
  return { email: match[1]!, password: match[2]! };
}

function operatorToken(output: string): string {
  const match = /Operator token:\s+(\S+)/.exec(output);
  if (!match) throw new Error(`no operator token in the server's banner:\n${output}`);
  return match[1]!;
}
