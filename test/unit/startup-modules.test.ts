import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The packages a new process loads when it imports `entry` (a source file), by package name. */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.add(r.url); return r; } });
    await import(${JSON.stringify(path.join(root, entry))});
    const names = [...seen].filter((u) => u.includes('/node_modules/')).map((u) => {
      const parts = u.split('/node_modules/').pop().split('/');
      return parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0];
    });
    process.stdout.write(JSON.stringify([...new Set(names)]));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out) as string[];
}

describe('what a start loads', () => {
  // Every front door (CLI, backend) loads the handler table; a library that only some calls need is
  // imported when such a call comes, so that `lookalike embed` and the backend start without it.
  it('the handler table loads the engine but not the libraries of a few calls', () => {
    const loaded = packagesLoadedBy('src-main/dispatch/handlers.ts');
    expect(loaded).toContain('onnxruntime-node');
    // Qdrant (push, status), the vector index (search, duplicates), listings files, CSV exports, zip packs.
    for (const lazy of ['@qdrant/js-client-rest', 'usearch', 'csv-parse', 'csv-stringify', 'yauzl']) expect(loaded).not.toContain(lazy);
  });
});
