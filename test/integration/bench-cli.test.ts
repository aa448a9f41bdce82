import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';
import { cli } from '../helpers/cli.js';
import { benchSectionNames } from '../../src-main/bench/sections.js';
import { setEnv } from '../helpers/env.js';

const hasDemo = fs.existsSync(path.join(appRoot, 'resources', 'models', 'demo-siglip', 'onnx', 'vision_model.onnx'));

/** Shape of the report only: speed figures belong in docs/PERFORMANCE.md, not in assertions. */
describe.skipIf(!hasDemo)('lookalike bench', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-bench-cli-'));
  const restoreEnv = setEnv({ LOOKALIKE_HOME: home, LOOKALIKE_PROVIDER: 'cpu', LOOKALIKE_REALSIZE_DIR: undefined });
  afterAll(() => {
    restoreEnv();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('--quick --only models,import --out: models per variant, demo import, peak memory per section, tables on stderr', async () => {
    const out = path.join(home, 'report.json');
    const { code, stdout, stderr } = await cli(['bench', '--quick', '--only', 'models,import', '--model', 'demo-clip', '--out', out]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(report);
    expect(report.sections).toEqual(['models', 'import']);
    expect(report).not.toHaveProperty('search');
    expect(report).not.toHaveProperty('duplicates');

    expect(report.models.errors).toEqual([]);
    expect(report.models.packs).toHaveLength(1);
    const pack = report.models.packs[0];
    expect(pack).toMatchObject({ id: 'demo-clip', variant: 'fp32', provider: 'cpu', vsFp32: null });
    for (const key of ['modelOnly', 'endToEnd', 'endToEndVsModel', 'modelCpuMs', 'endToEndCeiling']) expect(Object.keys(pack[key])).toEqual(['1', '8', '32']);
    for (const key of ['decodePreprocess', 'decodeCpuMs', 'textsPerSecond', 'peakRssMiB', 'loadSeconds', 'towersMB']) expect(pack[key]).toBeGreaterThan(0);
    for (const b of ['1', '8', '32']) {
      expect(pack.modelCpuMs[b]).toBeGreaterThan(0);
      expect(pack.endToEndCeiling[b]).toBeGreaterThan(0);
      expect(pack.endToEndCeiling[b]).toBeLessThanOrEqual(1);
    }
    expect(report.models.cpus).toBeGreaterThan(0);

    const demoRows = fs.readFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'listings.csv'), 'utf8').trim().split('\n').length - 1;
    expect(report.import.models).toEqual(['demo-siglip']);
    expect(report.import.first).toMatchObject({ listings: demoRows, failed: 0 });
    expect(report.import.first.images).toBeGreaterThan(0);
    expect(report.import.first.embedded['demo-siglip']).toBe(report.import.first.images);
    expect(report.import.again).toMatchObject({ images: 0, listings: demoRows });

    for (const name of ['models', 'import']) {
      const m = report.peakMemory.sections[name];
      expect(m.peakMiB).toBeGreaterThanOrEqual(m.startMiB);
    }
    expect(report.peakMemory.processPeakMiB).toBeGreaterThanOrEqual(report.peakMemory.sections.models.peakMiB);
    expect(stderr).toContain('[models]');
    expect(stderr).toMatch(/max@B: the highest e2e\/m that \d+ CPUs allow/);
    expect(stderr).toContain('[import]');
    expect(stderr).toContain('[peak memory]');
  });

  it('--sizes and --dataset choose the catalogs of search and duplicates; duplicates reports the CPU time of the graph', async () => {
    const { code, stdout } = await cli(['bench', '--only', 'search,duplicates', '--sizes', '500', '--dataset', 'clusters']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.search.rows).toHaveLength(1);
    expect(report.search.rows[0]).toMatchObject({ dataset: 'clusters', vectors: 500 });
    expect(report.duplicates.rows).toHaveLength(1);
    expect(report.duplicates.rows[0].images).toBe(500);
    expect(report.duplicates.rows[0].graphCpuSeconds).toBeGreaterThan(0);
  });

  it('duplicates-visit: a catalog of --sizes photos imported as a job, then the first Duplicates visit, with and without the preparation', async () => {
    const { code, stdout, stderr } = await cli(['bench', '--only', 'duplicates-visit', '--sizes', '40']);
    expect(code).toBe(0);
    const [row] = JSON.parse(stdout)['duplicates-visit'].rows;
    expect(row.images).toBeGreaterThan(30);
    expect(row.preparation.candidatePairs).toBeGreaterThan(0);
    expect(row).toMatchObject({ firstVisit: { graph: 'memory' }, afterRestart: { graph: 'stored' }, unprepared: { graph: 'built' } });
    for (const step of ['import', 'preparation', 'firstVisit', 'afterRestart', 'unprepared']) expect(row[step].cpuSeconds).toBeGreaterThan(0);
    expect(stderr).toContain('first visit s (CPU s)');
  });

  it('--sizes, --dataset and --seed with a bad value are usage errors', async () => {
    for (const [args, message] of [
      [['--sizes', '1000,x'], '--sizes expects comma-separated positive integers, got "x"'],
      [['--dataset', 'bogus'], '--dataset expects catalog or clusters, got "bogus"'],
      [['--seed', '1.5'], '--seed expects an integer'],
    ] as const) {
      const { code, stdout, stderr } = await cli(['bench', '--only', 'search', ...args]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(message);
    }
  });

  it('--only with an unknown section is a usage error that names the known ones', async () => {
    const { code, stdout, stderr } = await cli(['bench', '--only', 'models,bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown bench section "bogus"');
    expect(stderr).toContain(`(sections: ${benchSectionNames.join(', ')})`);
    expect(benchSectionNames).toEqual(expect.arrayContaining(['models', 'import', 'search', 'duplicates', 'duplicates-quality']));
  });
});
