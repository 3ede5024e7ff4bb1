/**
 * Medusa's config for bench:peers, copied into the peer's folder as medusa-config.js. Only the
 * database is set: every other module is Medusa's default, in memory (local event bus, in-memory
 * cache, workflow engine and locking), so no Redis. No admin dashboard is built or served.
 */
const { defineConfig } = require('@medusajs/framework/utils');

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { storeCors: '*', adminCors: '*', authCors: '*', jwtSecret: 'bench-jwt-secret', cookieSecret: 'bench-cookie-secret' },
  },
  admin: { disable: true },
});
