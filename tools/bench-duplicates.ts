/**
 * Duplicate grouping timing on its own (the same numbers as the "duplicates" section of
 * `lookalike bench`):  node --import tsx tools/bench-duplicates.ts [--quick]
 */
import { benchDuplicates, duplicatesSection } from '../src-main/bench/duplicates.js';

const result = await benchDuplicates({ quick: process.argv.includes('--quick'), log: (l) => console.error(l) });
console.error(duplicatesSection.table(result));
console.log(JSON.stringify(result, null, 1));
