/**
 * CPU time (all threads, process.cpuUsage) and wall time of the 100k-image duplicate grouping,
 * for comparing two checkouts on a machine that is not idle (CPU time depends far less on other
 * load than wall time). Same calls as `lookalike bench --only duplicates`.
 *
 *   node --import tsx tools/bench-duplicates-cpu.ts [TREE] [N]     (TREE: a checkout, default this one; N default 100000)
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const [treeArg, nArg] = process.argv.slice(2);
const tree = path.resolve(treeArg ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const n = Number(nArg ?? 100_000);
if (!Number.isInteger(n) || n < 2) throw new Error(`N must be an integer of at least 2, got "${nArg}"`);
const bench = await import(path.join(tree, 'src-main/bench/duplicates.ts'));
const graphs = await import(path.join(tree, 'src-main/features/duplicates/graph.ts'));
const neighbours = await import(path.join(tree, 'src-main/features/duplicates/neighbours.ts'));
const regroup = await import(path.join(tree, 'src-main/features/duplicates/regroup.ts'));
const tiers = await import(path.join(tree, 'src-main/features/duplicates/tiers.ts'));
const data = bench.syntheticCatalog(n);
const c0 = process.cpuUsage();
const t0 = performance.now();
const graph = await graphs.buildCandidateGraph({ shas: data.shas, hashes: data.hashes, vectors: data.vectors, hasVector: new Uint8Array(n).fill(1), dim: data.dim, k: 16, knn: neighbours.catalogKnn });
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const near = regroup.groupCandidates(graph, tiers.defaultTierSettings(), 'near', { notDuplicate: new Set(), duplicate: [] });
const t2 = performance.now();
console.log(JSON.stringify({ tree, n, graphWallS: (t1 - t0) / 1000, graphCpuS: (c1.user + c1.system) / 1e6, nearRegroupWallS: (t2 - t1) / 1000, candidatePairs: graph.length, nearGroups: near.length }));
