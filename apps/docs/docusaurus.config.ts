import type * as Preset from '@docusaurus/preset-classic';
import type { Config } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';
import codeFromFile from './src/plugins/code-from-file.js';

/** Where the MDX content lives: `docs/` at the repository root. */
const contentDir = '../../docs';

const config: Config = {
  title: 'asyncpay',
  tagline: 'Lightning async payments: paying a recipient who is offline, without custody',
  url: 'http://localhost',
  baseUrl: '/',
  favicon: 'img/favicon.svg',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    mermaid: true,
    // .md files (the generated API reference) are CommonMark; only .mdx files are MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },
  themes: ['@docusaurus/theme-mermaid'],
  future: {
    v4: true,
    // The fast bundler (Rspack, SWC, Lightning CSS), but without its persistent cache: a page's code
    // blocks come from files the MDX loader does not track (src/plugins/code-from-file.ts), and a cache
    // that kept an old copy for one of the two compilers made server and client HTML disagree.
    faster: {
      swcJsLoader: true,
      swcJsMinimizer: true,
      swcHtmlMinimizer: true,
      lightningCssMinimizer: true,
      mdxCrossCompilerCache: true,
      rspackBundler: true,
      rspackPersistentCache: false,
      ssgWorkerThreads: true,
      gitEagerVcs: true,
    },
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  presets: [
    [
      'classic',
      {
        docs: {
          path: contentDir,
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          // docs/README.md is for people browsing the repository; examples/ is code, included by pages.
          exclude: ['README.md', 'examples/**', '**/node_modules/**'],
          remarkPlugins: [codeFromFile],
        },
        blog: false,
        pages: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],

  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        // The API reference, generated from the packages' doc comments by scripts/generate.ts.
        id: 'api',
        path: 'generated/api',
        routeBasePath: 'api',
        sidebarPath: './sidebars-api.ts',
      },
    ],
  ],

  themeConfig: {
    navbar: {
      title: 'asyncpay',
      items: [
        { type: 'docSidebar', sidebarId: 'docs', position: 'left', label: 'Guide' },
        { type: 'docSidebar', sidebarId: 'api', docsPluginId: 'api', position: 'left', label: 'API' },
      ],
    },
    footer: {
      style: 'dark',
      copyright: 'asyncpay: a reference implementation of Lightning async payments.',
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'json'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
