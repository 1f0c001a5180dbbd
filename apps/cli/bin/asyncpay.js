#!/usr/bin/env node
// Installed entry point: runs the built CLI. From a checkout, `pnpm asyncpay …` runs the sources.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
