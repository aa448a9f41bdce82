import fs from 'node:fs/promises';
import path from 'node:path';
import { newReport } from '../../bench/report.js';
import { benchSections } from '../../bench/sections.js';
import { type Command, stringList, stringOption } from '../command.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Measure decode, model-only, end-to-end image and text throughput per model pack',
  usage: [
    'bench [--quick] [--out FILE] [--models-dir DIR] [--model ID ...] [--provider P]',
    '',
    'JSON report on stdout (and in --out FILE), a readable table on stderr. --models-dir (or',
    'LOOKALIKE_REALSIZE_DIR) adds packs from a folder, e.g. those made by tools/realsize-models.py.',
  ].join('\n'),
  options: {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    'models-dir': { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    provider: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const quick = values.quick === true;
    const modelsDirs = [...stringList(values, 'models-dir'), ...(process.env.LOOKALIKE_REALSIZE_DIR ? [process.env.LOOKALIKE_REALSIZE_DIR] : [])].map((d) => path.resolve(d));
    const report = newReport(quick);
    const ctx = { quick, modelsDirs, modelIds: stringList(values, 'model'), provider: stringOption(values, 'provider'), log: io.log, signal: io.signal };
    for (const section of benchSections) {
      const result = await section.run(ctx);
      report[section.name] = result;
      io.log(`\n[${section.name}]\n${section.table(result)}`);
    }
    const out = stringOption(values, 'out');
    if (out) await fs.writeFile(out, `${JSON.stringify(report, null, 1)}\n`);
    return report;
  },
};
