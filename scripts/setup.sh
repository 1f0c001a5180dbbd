#!/usr/bin/env bash
# Sets up a fresh machine for asyncpay: pnpm through corepack (the version pinned in package.json),
# the workspace's dependencies, and with --test what the tests need besides: bitcoind (through the
# regtest harness) and Chromium for the documentation site's browser test.
set -euo pipefail
cd "$(dirname "$0")/.."

export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "10.34.9" ]; then
  corepack enable pnpm
fi
echo "pnpm $(pnpm --version)"

pnpm install --frozen-lockfile

if [ "${1:-}" = "--test" ]; then
  if [ -d regtest/src ] && [ -f regtest/src/install.ts ]; then
    pnpm --silent --filter @asyncpay/regtest run install-bitcoind
  fi
  if [ -d apps/docs ] && ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing Debian's chromium for the documentation site's browser test"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "chromium not found: install it (Debian: apt-get install chromium) for the docs browser test" >&2
      exit 1
    fi
  fi
fi
