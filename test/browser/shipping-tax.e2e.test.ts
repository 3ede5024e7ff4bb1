/// <reference lib="dom" />
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

// A unified social credit code with a correct check character.
const COMPANY_TAX_ID = '91350100M000100Y43';
const INVOICE_NUMBER = 'INV-2026-0001';

/**
 * Shipping, tax and invoices end to end at the demo shop: staff set up a zone with a by-weight
 * method and tax rates in the admin and weigh a product; a member sees their price, checks out
 * with that method, asks for a company invoice and pays part with a gift card; staff see the tax
 * and the request, issue it, and the shopper sees it issued.
 */
describe.runIf(chromiumAvailable())('shipping, tax and invoices in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let admin: Page;
  let shopper: Page;
  let orderId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-browser-tax-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    admin = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
    shopper = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    // The demo storefront opens in its platform's Chinese; this shopper reads English.
    await shopper.addInitScript(() => localStorage.setItem('bazaar.locale', 'en'));
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('staff create a zone with a by-weight method; a second zone for the same country is refused', async () => {
    const { email, password } = demoStaff(server.output());
    await admin.goto(`${server.url}/admin`);
    await admin.getByRole('heading', { name: 'Staff log in' }).waitFor();
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Password').fill(password);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await admin.getByRole('link', { name: 'Shipping', exact: true }).click();
    await admin.getByRole('heading', { name: 'Shipping', exact: true }).waitFor();
    const newZone = admin.getByRole('form', { name: 'Create zone' });
    await newZone.getByLabel('Zone name').fill('Mainland China');
    await newZone.getByLabel('Region 1: Country').fill('CN');
    await newZone.getByRole('button', { name: 'Create zone' }).click();
    await admin.getByRole('status').filter({ hasText: 'Zone Mainland China saved.' }).waitFor();

    // The same country again: the server's zone_region_taken message is shown with the form.
    await newZone.getByLabel('Zone name').fill('Again');
    await newZone.getByRole('button', { name: 'Create zone' }).click();
    await expect.poll(() => newZone.getByRole('alert').textContent()).toContain('Another zone covers CN');

    const zone = admin.getByRole('region', { name: 'Mainland China' });
    await zone.getByRole('button', { name: 'Add method' }).click();
    const method = zone.getByRole('form', { name: 'Add method' });
    await method.getByLabel('Name (English)').fill('Standard');
    await method.getByLabel('Name (Chinese)').fill('标准快递');
    // A typo is explained beside its field before anything is sent.
    await method.getByLabel('First weight price').fill('8.5.0');
    await method.getByRole('button', { name: 'Add method' }).click();
    await expect.poll(() => method.getByLabel('First weight price').getAttribute('aria-invalid')).toBe('true');
    await method.getByLabel('First weight price').fill('8.00');
    await method.getByLabel('Price per step').fill('4');
    await method.getByLabel('Free over').fill('500.00');
    await method.getByRole('button', { name: 'Add method' }).click();
    await admin.getByRole('status').filter({ hasText: 'Method Standard saved.' }).waitFor();
    const row = zone.getByRole('row', { name: /Standard/ });
    await expect.poll(() => row.textContent()).toContain('First 1kg CN¥8.00, then CN¥4.00/kg');
    expect(await row.textContent()).toContain('2–4 days');
    await screenshot(admin, 'admin-shipping-zone');
  });

  it('staff add tax rates as percentages and weigh the charger in the product editor', async () => {
    await admin.getByRole('link', { name: 'Tax', exact: true }).click();
    await admin.getByRole('heading', { name: 'Tax', exact: true }).waitFor();
    const basis = admin.getByRole('switch', { name: 'Catalog prices include tax' });
    await expect.poll(() => basis.isChecked()).toBe(true);
    // Switched off and on again, each time confirmed: the checkout of the demo stays tax-inclusive.
    for (const [notice, checked] of [['Tax is now added to prices at checkout.', false], ['Prices now include tax.', true]] as const) {
      admin.once('dialog', (dialog) => void dialog.accept());
      await basis.click();
      await admin.getByRole('status').filter({ hasText: notice }).waitFor();
      await expect.poll(() => basis.isChecked()).toBe(checked);
    }
    const newRate = admin.getByRole('form', { name: 'New rate' });
    for (const [taxClass, rate, name] of [['standard', '13', 'VAT 13%'], ['shipping', '9', 'VAT 9% freight']] as const) {
      await newRate.getByLabel('Tax class').fill(taxClass);
      await newRate.getByLabel('Rate').fill(rate);
      await newRate.getByLabel('Name').fill(name);
      await newRate.getByRole('button', { name: 'Add rate' }).click();
      await admin.getByRole('status').filter({ hasText: `Rate ${name} added.` }).waitFor();
    }
    await expect.poll(() => admin.getByRole('table', { name: 'Tax rates' }).getByRole('row').count()).toBe(3);
    expect(await admin.getByRole('row', { name: /VAT 13%/ }).textContent()).toContain('13%');

    await admin.getByRole('link', { name: 'Products' }).click();
    await admin.getByLabel('Search products').fill('65W');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.getByRole('link', { name: /65W Fast Charger/ }).click();
    const weight = admin.getByLabel(/Weight of FAST-CHARGER/);
    // The demo's weight comes back into the field, so a save doesn't zero it.
    await expect.poll(() => weight.inputValue()).toBe('400');
    await admin.getByLabel('Tax class').fill('standard');
    await weight.fill('1500');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await admin.reload();
    await expect.poll(() => admin.getByLabel(/Weight of FAST-CHARGER/).inputValue()).toBe('1500');
    expect(await admin.getByLabel('Tax class').inputValue()).toBe('standard');
    await admin.getByRole('heading', { name: 'Shipping and tax' }).scrollIntoViewIfNeeded();
    await screenshot(admin, 'admin-product-shipping-tax');
  });

  it('a member sees and pays the member price, picks the by-weight method, asks for a company invoice and pays part with a gift card', async () => {
    const json = { 'content-type': 'application/json' };
    const signUp = await fetch(`${server.url}/api/store/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'buyer@example.com', password: 'a-long-enough-password' }) });
    expect(signUp.status).toBe(201);
    // Staff make the buyer a member with a price of 129.00 on the charger (149.00 in the catalog)
    // and give them a gift card of 50.00, through the admin API.
    const staffLogin = await fetch(`${server.url}/api/admin/auth/login`, { method: 'POST', headers: json, body: JSON.stringify(demoStaff(server.output())) });
    const staff = { ...json, authorization: `Bearer ${((await staffLogin.json()) as { session: { token: string } }).session.token}` };
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method, headers: staff, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, any>>;
    };
    const found = await call('GET', '/api/store/products?q=65W');
    const charger = await call('GET', `/api/store/products/${found.items[0].id}`);
    const group = await call('POST', '/api/admin/customer-groups', { code: 'members', name: { en: 'Members', 'zh-CN': '会员' } });
    await call('POST', `/api/admin/customer-groups/${group.id}/members`, { emails: ['buyer@example.com'] });
    await call('POST', '/api/admin/price-lists', { name: 'Member prices', groupId: group.id, currency: 'CNY', prices: [{ variantId: charger.variants[0].id, amount: 12_900 }] });
    const giftCard = (await call('POST', '/api/admin/gift-cards', { amount: 5000 })).fullCode as string;

    await shopper.goto(`${server.url}/login`);
    await shopper.getByLabel('Email').fill('buyer@example.com');
    await shopper.getByLabel('Password').fill('a-long-enough-password');
    await shopper.locator('form button[type=submit]').click();
    await shopper.getByRole('heading', { name: 'Featured' }).waitFor();

    await shopper.getByRole('searchbox').fill('65W');
    await shopper.getByRole('searchbox').press('Enter');
    // The card in the search results shows the member's price too.
    const card = shopper.getByRole('link', { name: /65W Fast Charger/ });
    await expect.poll(() => card.getByTestId('card-price').textContent()).toBe('CN¥129.00 CN¥149.00');
    await card.click();
    // The member's price, with the catalog's struck through.
    await expect.poll(() => shopper.getByTestId('price').textContent()).toContain('CN¥129.00');
    expect(await shopper.getByTestId('compare-at').textContent()).toBe('CN¥149.00');
    await shopper.getByRole('button', { name: 'Add to cart' }).click();
    await shopper.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await shopper.goto(`${server.url}/checkout`);
    await shopper.getByRole('heading', { name: 'Shipping address' }).waitFor();
    await shopper.getByLabel('Name *').fill('王小明');
    await shopper.getByLabel('Phone *').fill('+8613800138000');
    await shopper.getByLabel('City *').fill('杭州市');
    await shopper.getByLabel('Address *').fill('文三路 100 号');
    // 1500 g: the first kilogram for 8.00 and one started kilogram for 4.00.
    const standard = shopper.getByRole('radio', { name: /Standard/ });
    await standard.waitFor();
    await standard.check();
    await expect.poll(() => shopper.getByTestId('shipping-total').textContent()).toBe('CN¥12.00');
    await shopper.getByLabel('I need an invoice').check();
    await shopper.getByRole('radio', { name: 'Company' }).check();
    await shopper.getByLabel('Invoice title').fill('杭州某某科技有限公司');
    await shopper.getByLabel('Tax ID').fill(COMPANY_TAX_ID);
    await shopper.getByLabel('Email for the invoice').fill('ap@example.com');
    await shopper.getByLabel('Gift card code').fill(giftCard.toLowerCase());
    await shopper.getByRole('button', { name: 'Apply' }).click();
    await shopper.getByText('Gift card applied (balance CN¥50.00)').waitFor();
    // 129.00 + 12.00 shipping, of which the gift card pays 50.00.
    await expect.poll(() => shopper.getByTestId('order-total').textContent()).toBe('CN¥141.00');
    expect(await shopper.getByTestId('amount-due').textContent()).toBe('CN¥91.00');
    await screenshot(shopper, 'storefront-checkout-shipping-invoice');
    await shopper.getByRole('button', { name: 'Place order' }).click();

    await shopper.getByRole('heading', { name: 'Bazaar sandbox payment' }).waitFor();
    await shopper.getByRole('button', { name: 'Pay' }).click();
    await shopper.getByRole('heading', { name: 'Order placed' }).waitFor();
    orderId = new URL(shopper.url()).pathname.split('/').pop()!;
    await expect.poll(() => shopper.getByTestId('shipping-total').textContent()).toBe('CN¥12.00');
    // Prices include tax: 129.00 × 13/113 = 14.84 on the charger, 12.00 × 9/109 = 0.99 on shipping.
    expect(await shopper.getByTestId('tax-total').textContent()).toBe('CN¥15.83');
    expect(await shopper.getByTestId('order-total').textContent()).toBe('CN¥141.00');
    expect(await shopper.getByTestId('tender-total').textContent()).toBe('−CN¥50.00');
    expect(await shopper.getByTestId('invoice').textContent()).toContain('Requested');
  });

  it('staff see the tax on the order and in the report, export the request and mark it issued', async () => {
    await admin.getByRole('link', { name: 'Invoices' }).click();
    await admin.getByRole('heading', { name: 'Invoices' }).waitFor();
    const request = admin.getByRole('row', { name: new RegExp(orderId) });
    await expect.poll(() => request.textContent()).toContain(COMPANY_TAX_ID);
    expect(await request.textContent()).toContain('CN¥141.00');

    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv).toContain(orderId);
    expect(csv).toContain('杭州某某科技有限公司');

    await request.getByRole('button', { name: `Issue the invoice of order ${orderId}` }).click();
    await request.getByLabel('Invoice number').fill(INVOICE_NUMBER);
    await request.getByRole('button', { name: 'Mark issued' }).click();
    await admin.getByRole('status').filter({ hasText: `Invoice ${INVOICE_NUMBER} issued` }).waitFor();
    // The default filter lists requests still to issue: the issued one is gone; "All" shows it.
    await admin.getByLabel('Status').selectOption('');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => admin.getByRole('row', { name: new RegExp(orderId) }).textContent()).toContain(INVOICE_NUMBER);
    await screenshot(admin, 'admin-invoices');

    await admin.getByRole('link', { name: orderId }).click();
    await admin.getByRole('heading', { name: new RegExp(`Order ${orderId}`) }).waitFor();
    const totals = admin.locator('dl.totals');
    await expect.poll(() => totals.textContent()).toContain('Standard');
    expect(await totals.textContent()).toContain('Tax included');
    expect(await totals.textContent()).toContain('CN¥15.83');
    expect(await admin.getByRole('row', { name: /FAST-CHARGER/ }).textContent()).toContain('CN¥14.84 (13%)');
    expect(await admin.locator('.card').filter({ hasText: 'Invoice number' }).textContent()).toContain(INVOICE_NUMBER);
    await screenshot(admin, 'admin-order-tax-invoice');

    await admin.getByRole('link', { name: 'Tax', exact: true }).click();
    const report = admin.getByRole('table', { name: 'Tax report' });
    await expect.poll(() => report.getByRole('row', { name: /standard 13%/ }).textContent()).toContain('CN¥14.84');
    expect(await report.getByRole('row', { name: /shipping 9%/ }).textContent()).toContain('CN¥0.99');
    expect(await report.getByRole('row', { name: /Total CNY/ }).textContent()).toContain('CN¥15.83');
    expect(await admin.getByRole('img', { name: 'Tax per class' }).count()).toBe(1);
    await screenshot(admin, 'admin-tax-report');
  });

  it('the shopper sees the invoice issued', async () => {
    await shopper.reload();
    await expect.poll(() => shopper.getByTestId('invoice').textContent()).toContain(`Issued (${INVOICE_NUMBER})`);
    await screenshot(shopper, 'storefront-order-invoice-issued');
  });
});

function demoStaff(output: string): { email: string; password: string } {
  const match = /Demo staff:\s+(\S+) \/ (\S+)/.exec(output);
  if (!match) throw new Error(`no demo staff in the server's banner:\n${output}`);
  return { email: match[1]!, password: match[2]! };
}
