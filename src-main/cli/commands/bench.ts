import fs from 'node:fs/promises';
import path from 'node:path';
import { MemorySampler } from '../../bench/memory.js';
import { type BenchContext, type SearchDataset, formatTable, newReport, searchDatasets } from '../../bench/report.js';
import { type BenchSectionName, benchSectionNames, loadBenchSection } from '../../bench/sections.js';
import { type Command, type OptionValues, UsageError, numberOption, stringList, stringOption } from '../command.js';
import { loadConfig } from '../../shared/config.js';

/** The sections --only names (comma-separated or repeated), in the registry's order; all without it. */
export function selectSections(only: string[], known: readonly BenchSectionName[] = benchSectionNames): BenchSectionName[] {
  const names = only.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return [...known];
  const unknown = names.filter((n) => !(known as readonly string[]).includes(n));
  if (unknown.length) throw new UsageError(`unknown bench section "${unknown[0]}" (sections: ${known.join(', ')})`);
  return known.filter((name) => names.includes(name));
}

/** --sizes 10000,100000: positive integers, comma-separated or repeated; undefined without it. */
function sizesOption(values: OptionValues): number[] | undefined {
  const raw = stringList(values, 'sizes').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (raw.length === 0) return undefined;
  const sizes = raw.map(Number);
  const bad = raw.find((_, i) => !Number.isInteger(sizes[i]) || (sizes[i] as number) <= 0);
  if (bad !== undefined) throw new UsageError(`--sizes expects comma-separated positive integers, got "${bad}"`);
  return sizes;
}

function datasetOption(values: OptionValues): SearchDataset | undefined {
  const dataset = stringOption(values, 'dataset');
  if (dataset === undefined || (searchDatasets as readonly string[]).includes(dataset)) return dataset as SearchDataset | undefined;
  throw new UsageError(`--dataset expects ${searchDatasets.join(' or ')}, got "${dataset}"`);
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Measure model throughput (fp32 and 8-bit), import, search and duplicate grouping speed, duplicate grouping quality, and peak memory',
  usage: [
    `bench [--quick] [--only SECTION,...] [--out FILE] [--models-dir DIR] [--model ID ...] [--variant V ...] [--provider P]`,
    `      [--sizes N,...] [--dataset ${searchDatasets.join('|')}] [--seed N]`,
    '',
    `Sections: ${benchSectionNames.join(', ')} (all by default; --only picks some).`,
    'JSON report on stdout (and in --out FILE), a readable table per section on stderr. --models-dir',
    '(or LOOKALIKE_REALSIZE_DIR) adds packs from a folder, e.g. those made by tools/realsize-models.py;',
    'every installed weight variant of a pack (fp32, quantized, ...) is timed side by side unless',
    '--variant picks some. --model also picks the models of duplicates-quality (default: both demo',
    'models). --sizes sets the catalog sizes of search, duplicates and duplicates-visit (the first',
    'Duplicates visit after an import), --dataset the search set, --seed the duplicates-quality',
    'corpus (default 7).',
  ].join('\n'),
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string', multiple: true },
    out: { type: 'string' },
    'models-dir': { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    provider: { type: 'string' },
    sizes: { type: 'string', multiple: true },
    dataset: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const quick = values.quick === true;
    const sections = selectSections(stringList(values, 'only'));
    const sizes = sizesOption(values);
    const dataset = datasetOption(values);
    const seed = numberOption(values, 'seed', { integer: true });
    const config = loadConfig(process.env, { provider: stringOption(values, 'provider') });
    const modelsDirs = [...stringList(values, 'models-dir'), ...(config.realsizeDir ? [config.realsizeDir] : [])].map((d) => path.resolve(d));
    const memory = new MemorySampler();
    const report = newReport(
      quick,
      sections,
      memory.intervalMs,
    );
    const ctx: BenchContext = { quick, modelsDirs, modelIds: stringList(values, 'model'), variants: stringList(values, 'variant'), config, sizes, dataset, seed, memory, log: io.log, signal: io.signal };
    try {
      for (const name of sections) {
        const section = await loadBenchSection(name);
        const window = memory.window();
        try {
          report[section.name] = await section.run(ctx);
          report.peakMemory.sections[section.name] = { startMiB: window.startMiB, peakMiB: window.peakMiB() };
        } finally {
          window.close();
        }
        io.log(`\n[${section.name}]\n${section.table(report[section.name])}`);
      }
    } finally {
      await memory.close();
    }
    report.peakMemory.processPeakMiB = MemorySampler.processPeakMiB();
    const rows = Object.entries(report.peakMemory.sections).map(([name, m]) => [name, m.startMiB.toFixed(0), m.peakMiB.toFixed(0)]);
    io.log(`\n[peak memory] ${report.peakMemory.method}; whole run ${report.peakMemory.processPeakMiB.toFixed(0)} MiB\n${formatTable([['section', 'start MiB', 'peak MiB'], ...rows])}`);
    const out = stringOption(values, 'out');
    if (out) await fs.writeFile(out, `${JSON.stringify(report, null, 1)}\n`);
    return report;
  },
};
