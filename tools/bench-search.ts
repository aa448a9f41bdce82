// Standalone run of the vector-search benchmark: node --import tsx tools/bench-search.ts [--quick] [--sizes 10000,100000] [--dataset catalog|clusters]
import { parseArgs } from 'node:util';
import { benchSearch } from '../src-main/bench/search.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, sizes: { type: 'string' }, dataset: { type: 'string', default: 'catalog' } } });
const sizes = values.sizes?.split(',').map((s) => Number(s.trim()));
if (sizes?.some((n) => !Number.isInteger(n) || n <= 0)) {
  process.stderr.write('--sizes expects comma-separated positive integers\n');
  process.exit(2);
}
if (values.dataset !== 'catalog' && values.dataset !== 'clusters') {
  process.stderr.write('--dataset expects catalog or clusters\n');
  process.exit(2);
}
const report = await benchSearch({ quick: values.quick, sizes, dataset: values.dataset, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ search: report }, null, 2)}\n`);
