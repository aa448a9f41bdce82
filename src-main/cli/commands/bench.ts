import fs from 'node:fs/promises';
import path from 'node:path';
import { MemorySampler } from '../../bench/memory.js';
import { type BenchContext, formatTable, newReport } from '../../bench/report.js';
import { type BenchSectionName, benchSectionNames, loadBenchSection } from '../../bench/sections.js';
import { type Command, UsageError, stringList, stringOption } from '../command.js';

/** The sections --only names (comma-separated or repeated), in the registry's order; all without it. */
export function selectSections(only: string[], known: readonly BenchSectionName[] = benchSectionNames): BenchSectionName[] {
  const names = only.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return [...known];
  const unknown = names.filter((n) => !(known as readonly string[]).includes(n));
  if (unknown.length) throw new UsageError(`unknown bench section "${unknown[0]}" (sections: ${known.join(', ')})`);
  return known.filter((name) => names.includes(name));
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Measure model throughput (fp32 and 8-bit), import, search and duplicate grouping speed, and peak memory',
  usage: [
    `bench [--quick] [--only SECTION,...] [--out FILE] [--models-dir DIR] [--model ID ...] [--variant V ...] [--provider P]`,
    '',
    `Sections: ${benchSectionNames.join(', ')} (all by default; --only picks some).`,
    'JSON report on stdout (and in --out FILE), a readable table per section on stderr. --models-dir',
    '(or LOOKALIKE_REALSIZE_DIR) adds packs from a folder, e.g. those made by tools/realsize-models.py;',
    'every installed weight variant of a pack (fp32, quantized, ...) is timed side by side unless',
    '--variant picks some.',
  ].join('\n'),
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string', multiple: true },
    out: { type: 'string' },
    'models-dir': { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    provider: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const quick = values.quick === true;
    const sections = selectSections(stringList(values, 'only'));
    const modelsDirs = [...stringList(values, 'models-dir'), ...(process.env.LOOKALIKE_REALSIZE_DIR ? [process.env.LOOKALIKE_REALSIZE_DIR] : [])].map((d) => path.resolve(d));
    const memory = new MemorySampler();
    const report = newReport(
      quick,
      sections,
      memory.intervalMs,
    );
    const ctx: BenchContext = { quick, modelsDirs, modelIds: stringList(values, 'model'), variants: stringList(values, 'variant'), provider: stringOption(values, 'provider'), memory, log: io.log, signal: io.signal };
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
