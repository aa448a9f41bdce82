import { fileURLToPath } from 'node:url';

/**
 * Where a sibling module of this source tree lives (relative to this folder) and which Node flags start it as its own
 * process or worker. From the TypeScript sources (CLI, browser mode, tests) that means loading tsx;
 * a bundled build has plain .js files and needs nothing.
 */
export function moduleEntry(relativePath: string): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(relativePath.replace(/\.ts$/, fromSource ? '.ts' : '.js'), import.meta.url));
  return { file, execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [] };
}
