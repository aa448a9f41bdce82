import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportGraph, importCycles, importGraph, layerViolations } from '../helpers/import-graph.js';

const root = path.resolve(import.meta.dirname, '../..');
const graph = importGraph([path.join(root, 'src-main'), path.join(root, 'src-renderer')]);
const rel = (files: string[]) => files.map((f) => path.relative(root, f));

describe('architecture: dependencies point one way (docs/ARCHITECTURE.md)', () => {
  it('reads the whole tree', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect([...graph.values()].flat().length).toBeGreaterThan(500);
  });

  it('every import stays within the layers it may use: api/ only shared/, engine/catalog/index neither api/ nor features/', () => {
    expect(layerViolations(root, graph)).toEqual([]);
  });

  it('no import cycles, renderer included', () => {
    expect(importCycles(graph).map(rel)).toEqual([]);
  });

  it('tests never import tools/, and tools/ never import test/', () => {
    const crossing = [...importGraph([path.join(root, 'test'), path.join(root, 'tools')])]
      .flatMap(([from, targets]) => targets.map((to) => [from, to].map((f) => path.relative(root, f).split(path.sep)[0])))
      .filter(([from, to]) => from !== to && (from === 'test' || from === 'tools') && (to === 'test' || to === 'tools'));
    expect(crossing).toEqual([]);
  });

  it('the check catches an upward import and a cycle', () => {
    const f = (p: string) => path.join(root, p);
    const bad: ImportGraph = new Map([
      [f('src-main/engine/a.ts'), [f('src-main/api/contract.ts')]],
      [f('src-main/api/contract.ts'), []],
      [f('src-main/catalog/b.ts'), [f('src-main/features/c.ts')]],
      [f('src-main/features/c.ts'), [f('src-main/catalog/b.ts')]],
      [f('src-main/loose.ts'), []],
    ]);
    expect(layerViolations(root, bad)).toEqual([
      'src-main/catalog/b.ts -> src-main/features/c.ts (catalog -> features)',
      'src-main/engine/a.ts -> src-main/api/contract.ts (engine -> api)',
      'src-main/loose.ts: not in any layer ((outside a layer: src-main/loose.ts))',
    ]);
    expect(importCycles(bad).map(rel)).toEqual([['src-main/catalog/b.ts', 'src-main/features/c.ts']]);
  });
});
