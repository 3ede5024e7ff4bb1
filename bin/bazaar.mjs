#!/usr/bin/env node
// The `bazaar` command. Bazaar is written in TypeScript and run through tsx, so that a fresh
// checkout needs no build step before `npx bazaar …` works.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
