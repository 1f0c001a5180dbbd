/**
 * Opens every page of the built site (`build/`, from `docusaurus build`) in headless Chromium and
 * checks that it loads without a console error or an uncaught exception, that every mermaid diagram
 * rendered to SVG (and, over the whole site, that as many rendered as the MDX sources contain), and
 * saves a screenshot of each page under `.artifacts/screenshots/`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const site = join(import.meta.dirname, '..');
const build = join(site, 'build');
const content = join(site, '../../docs');
const screenshots = join(site, '.artifacts', 'screenshots');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// prettier-ignore
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

function files(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules') continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (keep(path)) out.push(path);
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

/** Every page of the build, as a URL path: `index.html` → `/`, `schemes/htlc.html` → `/schemes/htlc`. */
function pages(): string[] {
  return files(build, (p) => p.endsWith('.html'))
    .map((p) => relative(build, p).split(sep).join('/'))
    .filter((p) => p !== '404.html')
    .map((p) => `/${p.replace(/(^|\/)index\.html$/, '').replace(/\.html$/, '')}`);
}

/**
 * How many mermaid diagrams each guide page holds, from the MDX sources: the route is the file's path
 * under docs/ without its extension, or the `slug` of its front matter.
 */
function mermaidBlocksInSources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of files(content, (p) => /\.mdx?$/.test(p) && !p.includes(`${sep}examples${sep}`))) {
    const text = readFileSync(path, 'utf8');
    const n = text.match(/^```mermaid\s*$/gm)?.length ?? 0;
    if (n === 0) continue;
    const slug = /^---\n[\s\S]*?^slug:\s*(\S+)\s*$[\s\S]*?^---$/m.exec(text)?.[1];
    const route =
      slug ??
      `/${relative(content, path)
        .split(sep)
        .join('/')
        .replace(/\.mdx?$/, '')}`;
    counts.set(route, n);
  }
  return counts;
}

// prettier-ignore
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
};

/** A static server for `build/` with Docusaurus's URL rules (`/a/b` → `a/b.html` or `a/b/index.html`). */
function serve(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const candidates = [path, `${path}.html`, join(path, 'index.html')].map((p) => join(build, p));
    const file = candidates.find((p) => p.startsWith(build) && existsSync(p) && statSync(p).isFile());
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html' }).end(readFileSync(join(build, '404.html')));
      return;
    }
    // Hashed assets may be cached, as a real host would, so each page does not refetch the bundles.
    const cache = path.startsWith('/assets/') ? 'public, max-age=3600, immutable' : 'no-cache';
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': cache,
    });
    res.end(readFileSync(file));
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      done({ server, base: `http://127.0.0.1:${port}` });
    }),
  );
}

const routes = pages();
const diagrams = mermaidBlocksInSources();
const expectedDiagrams = [...diagrams.values()].reduce((a, b) => a + b, 0);
const rendered = new Map<string, number>();

let server: Server | undefined;
let base = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  ({ server, base } = await serve());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

describe('the built site', () => {
  it('has been built, with the guide and the API reference', () => {
    expect(existsSync(join(build, 'index.html')), 'run `docusaurus build` first').toBe(true);
    expect(routes).toContain('/');
    expect(routes).toContain('/schemes/htlc');
    expect(routes).toContain('/api');
  });

  describe.concurrent('every page', () => {
    for (const route of routes) {
      it(`${route} loads without errors, diagrams render`, async () => {
        const page = await context!.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('requestfailed', (r) => {
          // A prefetch the page itself cancels is not a failure.
          if (r.failure()?.errorText !== 'net::ERR_ABORTED') {
            problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
          }
        });
        page.on('response', (r) => {
          if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
        });
        try {
          const response = await page.goto(base + route, { waitUntil: 'load' });
          expect(response?.status()).toBe(200);
          // Mermaid renders in the browser, after hydration: wait for as many SVGs as the source holds.
          const expected = diagrams.get(route) ?? 0;
          await page.waitForFunction(
            (n) => document.querySelectorAll('.docusaurus-mermaid-container svg').length >= n,
            expected,
            { timeout: 30_000 },
          );
          // Let hydration and any late script finish: wait until the page's main thread is idle.
          await page.evaluate(
            () => new Promise<void>((done) => requestIdleCallback(() => done(), { timeout: 5_000 })),
          );
          const containers = await page.locator('.docusaurus-mermaid-container').count();
          const svgs = await page.locator('.docusaurus-mermaid-container svg').count();
          const failed = await page
            .locator('.docusaurus-mermaid-container svg[aria-roledescription="error"]')
            .count();
          expect(svgs, 'every mermaid container holds an SVG').toBe(containers);
          expect(svgs, 'as many diagrams as the source holds').toBe(expected);
          expect(failed, 'no mermaid diagram failed to parse').toBe(0);
          // Markdown that did not render (an admonition the parser did not recognise) shows up as text.
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered line breaks are the point here
          const text = await page.locator('article').first().innerText();
          expect(text, 'no unrendered ::: directive').not.toMatch(/^:::/m);
          rendered.set(route, svgs);
          const name = route === '/' ? 'index' : route.slice(1).replaceAll('/', '__');
          // Guide pages whole; the long API pages as far as the first screen.
          await page.screenshot({
            path: join(screenshots, `${name}.png`),
            fullPage: !route.startsWith('/api'),
          });
          expect(problems).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  });

  it('rendered as many mermaid diagrams as the MDX sources hold', () => {
    const total = [...rendered.values()].reduce((a, b) => a + b, 0);
    expect(expectedDiagrams).toBeGreaterThan(0);
    expect(total).toBe(expectedDiagrams);
    console.log(
      `opened ${rendered.size} pages, rendered ${total} of ${expectedDiagrams} mermaid diagrams; ` +
        `screenshots in ${relative(site, screenshots)}/`,
    );
  });
});
