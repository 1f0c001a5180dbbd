/**
 * A remark plugin that fills a code block from a file at build time, so documentation code is never
 * pasted by hand. In MDX:
 *
 *     ```ts file=../examples/bigsize.ts
 *     ```
 *
 * The path is relative to the page. The block must be empty; the plugin replaces its content with the
 * file's and shows the file's path in the repository as the block's title (unless the block names its
 * own `title="…"`). A missing file fails the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

interface Node {
  type: string;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  children?: Node[];
}

interface VFileLike {
  path?: string;
  history?: string[];
}

const FILE = /(?:^|\s)file=(\S+)/;

/** The file's path from the repository root (the folder holding pnpm-workspace.yaml), for its title. */
function fromRoot(path: string): string {
  let dir = dirname(path);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml')) && dirname(dir) !== dir) dir = dirname(dir);
  return relative(dir, path).split(sep).join('/');
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

export default function codeFromFile() {
  return (tree: Node, file: VFileLike): void => {
    const page = file.path ?? file.history?.[0];
    walk(tree, (node) => {
      if (node.type !== 'code' || !node.meta) return;
      const m = FILE.exec(node.meta);
      if (!m?.[1]) return;
      if (!page) throw new Error('code-from-file: the page has no path');
      if (node.value?.trim()) {
        throw new Error(`code-from-file: ${page}: a block with file=${m[1]} must be empty`);
      }
      const path = resolve(dirname(page), m[1]);
      node.value = readFileSync(path, 'utf8').trimEnd();
      const rest = node.meta.replace(FILE, '').trim();
      node.meta = /(^|\s)title=/.test(rest) ? rest : `title="${fromRoot(path)}"${rest ? ` ${rest}` : ''}`;
    });
  };
}
