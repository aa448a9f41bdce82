import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/shared/config.js';

describe('configuration: defaults, then the environment, then flags', () => {
  it('puts the catalog and models in the per-user folder of each platform, or LOOKALIKE_HOME', () => {
    expect(loadConfig({ XDG_CONFIG_HOME: '/cfg' }, {}, 'linux').home).toBe(path.join('/cfg', 'Lookalike'));
    expect(loadConfig({ APPDATA: '/appdata' }, {}, 'win32').home).toBe(path.join('/appdata', 'Lookalike'));
    expect(loadConfig({}, {}, 'darwin').home).toMatch(/Library[\\/]Application Support[\\/]Lookalike$/);
    const c = loadConfig({ LOOKALIKE_HOME: '/data/look' });
    expect(c.home).toBe(path.resolve('/data/look'));
    expect(c.dbPath).toBe(path.resolve('/data/look/catalog.db'));
  });

  it('takes the catalog from LOOKALIKE_DB, and a flag over it', () => {
    expect(loadConfig({ LOOKALIKE_HOME: '/h', LOOKALIKE_DB: '/x/a.db' }).dbPath).toBe(path.resolve('/x/a.db'));
    expect(loadConfig({ LOOKALIKE_HOME: '/h', LOOKALIKE_DB: '/x/a.db' }, { dbPath: 'b.db' }).dbPath).toBe(path.resolve('b.db'));
    expect(loadConfig({ LOOKALIKE_HOME: '/h', LOOKALIKE_DB: '' }).dbPath).toBe(path.resolve('/h/catalog.db'));
  });

  it('reads the engine, hub, search and Qdrant settings', () => {
    const c = loadConfig({
      LOOKALIKE_HOME: '/h',
      LOOKALIKE_VARIANT: 'quantized',
      LOOKALIKE_DECODE_WORKER: '0',
      LOOKALIKE_HF_ENDPOINT: 'http://127.0.0.1:9/',
      LOOKALIKE_ANN_THRESHOLD: '0',
      QDRANT_URL: 'http://q:6333',
      QDRANT_API_KEY: 'k',
    });
    expect(c.engine).toEqual({ provider: undefined, threads: undefined, spinning: false, variant: 'quantized', decodeWorker: false });
    expect(c.hubEndpoint).toBe('http://127.0.0.1:9');
    expect(c.annThreshold).toBe(0);
    expect(c.qdrant).toEqual({ url: 'http://q:6333', apiKey: 'k' });
    const d = loadConfig({ LOOKALIKE_HOME: '/h' });
    expect(d.engine.decodeWorker).toBe(true);
    expect(d.hubEndpoint).toBe('https://huggingface.co');
    expect(d.annThreshold).toBeUndefined();
    expect(d.qdrant).toBeUndefined();
  });

  it('refuses a number that is not one instead of silently using the default', () => {
    expect(() => loadConfig({ LOOKALIKE_HOME: '/h', LOOKALIKE_ANN_THRESHOLD: '-1' })).toThrow(/LOOKALIKE_ANN_THRESHOLD must be a non-negative integer, got "-1"/);
    expect(() => loadConfig({ LOOKALIKE_HOME: '/h', LOOKALIKE_THREADS: '0' })).toThrow(/LOOKALIKE_THREADS must be a positive integer/);
  });
});
