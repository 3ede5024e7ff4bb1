import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The storefront is built into dist/web and served by the Bazaar server itself at `/`.
export default defineConfig({
  root: new URL('./storefront/', import.meta.url).pathname,
  plugins: [react()],
  build: {
    outDir: new URL('../dist/web/', import.meta.url).pathname,
    emptyOutDir: true,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/static': 'http://localhost:3000' } },
});
