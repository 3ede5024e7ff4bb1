/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

/** Staff issue a gift card in the admin; a shopper checks its balance in the storefront; staff disable it. */
describe.runIf(chromiumAvailable())('gift cards in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-gift-cards-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a card issued in the admin shows its balance in the storefront until it is disabled', async () => {
    const [, email, password] = /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output())!;
    const admin = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    await admin.goto(`${server.url}/admin`);
    await admin.getByRole('heading', { name: 'Staff log in' }).waitFor();
    await admin.getByLabel('Email').fill(email!);
    await admin.getByLabel('Password').fill(password!);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.getByRole('link', { name: 'Gift cards & credit' }).click();
    await admin.getByRole('heading', { name: 'Issue a gift card' }).waitFor();
    await admin.getByLabel('Amount', { exact: true }).fill('50.00');
    await admin.getByLabel('Note', { exact: true }).fill('browser prize');
    await admin.getByRole('button', { name: 'Issue card' }).click();
    const shown = admin.locator('.gift-card-code');
    await shown.waitFor();
    const code = (await shown.textContent())!;
    expect(code).toMatch(/^([0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
    // Listed masked: the full code appears only in the notice.
    const row = admin.getByRole('row', { name: new RegExp(`\\*{4}-\\*{4}-\\*{4}-${code.slice(-4)}`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('50.00');
    await screenshot(admin, 'admin-gift-card-issued');

    const shop = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await shop.goto(server.url);
    await shop.getByRole('link', { name: '礼品卡与余额' }).click();
    await shop.getByRole('heading', { name: '查询礼品卡余额' }).waitFor();
    await shop.getByLabel('礼品卡卡号').fill(code.toLowerCase());
    await shop.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => shop.locator('.gift-card-result').textContent()).toMatch(/余额 .*50\.00/);
    await screenshot(shop, 'storefront-gift-card-balance');

    await row.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row.textContent()).toContain('Disabled');
    await shop.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => shop.getByRole('alert').textContent()).toBe('这张礼品卡已停用。');
    await shop.getByRole('button', { name: 'English' }).click();
    await shop.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => shop.getByRole('alert').textContent()).toBe('This gift card has been disabled.');
  }, PROCESS_TEST_TIMEOUT_MS);
});
