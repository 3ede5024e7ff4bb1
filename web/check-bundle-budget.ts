/**
 * Prints the storefront's first-load JavaScript, compressed, and fails the build over budget
 * (200 KB gzip): what a shopper on a phone downloads before the store shows anything.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 200 * 1024;
const dist = fileURLToPath(new URL('../dist/web/', import.meta.url));
const html = readFileSync(`${dist}index.html`, 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g)].map((match) => match[1]!);
const sizes = scripts.map((file) => ({ file, gzip: gzipSync(readFileSync(`${dist}${file}`)).length }));
const total = sizes.reduce((sum, entry) => sum + entry.gzip, 0);
for (const { file, gzip } of sizes) process.stdout.write(`  ${file}  ${(gzip / 1024).toFixed(1)} KB gzip\n`);
process.stdout.write(`Storefront first-load JavaScript: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB)\n`);
if (total > BUDGET_BYTES) {
  process.stderr.write('Over budget: split a route or drop a dependency.\n');
  process.exit(1);
}
