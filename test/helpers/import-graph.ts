import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** File -> the project files it imports (relative imports only; packages are not layers). */
export type ImportGraph = Map<string, string[]>;

/**
 * The layers of src-main, bottom first, each with the layers it may import (its own always).
 * docs/ARCHITECTURE.md draws the same picture.
 */
export const LAYER_RULES: Record<string, readonly string[]> = {
  shared: [],
  api: ['shared'],
  engine: ['shared'],
  catalog: ['engine', 'shared'],
  index: ['catalog', 'engine', 'shared'],
  features: ['index', 'catalog', 'engine', 'api', 'shared'],
  dispatch: ['features', 'index', 'catalog', 'engine', 'api', 'shared'],
  bench: ['dispatch', 'features', 'index', 'catalog', 'engine', 'api', 'shared'],
  backend: ['dispatch', 'features', 'api', 'shared'],
  server: ['backend', 'api', 'shared'],
  cli: ['server', 'backend', 'bench', 'dispatch', 'features', 'api', 'shared'],
  app: ['backend', 'api', 'shared'],
  renderer: ['api', 'shared'],
};

/** Builds the import graph of every .ts/.tsx/.js/.mjs file under the given folders (absolute paths). */
export function importGraph(roots: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const files = roots.flatMap((root) => listSources(root));
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.filter((i) => i.fileName.startsWith('.')).map((i) => resolveImport(file, i.fileName));
    graph.set(file, targets.filter((t): t is string => t !== null));
  }
  return graph;
}

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listSources(p);
    return /\.(tsx?|m?js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.js$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The layer a file belongs to: src-renderer is one layer, src-main's first folder is the others. */
export function layerOf(repoRoot: string, file: string): string {
  const rel = path.relative(repoRoot, file).split(path.sep);
  if (rel[0] === 'src-renderer') return 'renderer';
  if (rel[0] === 'src-main' && rel.length > 2) return rel[1] as string;
  return `(outside a layer: ${rel.join('/')})`;
}

/** Every import that breaks LAYER_RULES, as "from -> to (layer -> layer)". */
export function layerViolations(repoRoot: string, graph: ImportGraph, rules = LAYER_RULES): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(repoRoot, from);
    const allowed = rules[fromLayer];
    if (!allowed) {
      out.push(`${path.relative(repoRoot, from)}: not in any layer (${fromLayer})`);
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(repoRoot, to);
      if (toLayer !== fromLayer && !allowed.includes(toLayer)) out.push(`${path.relative(repoRoot, from)} -> ${path.relative(repoRoot, to)} (${fromLayer} -> ${toLayer})`);
    }
  }
  return out.sort();
}

/** Import cycles (strongly connected groups of files, Tarjan's algorithm), each as its files. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      const selfImport = group.length === 1 && (graph.get(v) ?? []).includes(v);
      if (group.length > 1 || selfImport) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
