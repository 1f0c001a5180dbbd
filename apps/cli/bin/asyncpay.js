#!/usr/bin/env node
// Installed entry point: runs the built CLI. From a checkout, `pnpm asyncpay …` runs the sources.
import { main } from '../dist/main.js';

// A reader that stops early (`asyncpay demo all | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

process.exitCode = await main(process.argv.slice(2));
