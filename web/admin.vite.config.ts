import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The admin console is built into dist/web/admin and served by the Bazaar server at `/admin`.
export default defineConfig({
  root: new URL('./admin/', import.meta.url).pathname,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: new URL('../dist/web/admin/', import.meta.url).pathname,
    emptyOutDir: true,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
