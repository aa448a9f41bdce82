import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src-main/api/contract.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import { invoke } from '../../src-main/dispatch/invoke.js';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { Services } from '../../src-main/features/services.js';

/**
 * Every feature that needs a model pack says the same thing when it cannot have one: no usable
 * pack installed and a broken pack are `unavailable`, an unknown pack id is `not_found`, whether
 * the call searches, imports, scores titles, compares or groups duplicates.
 */
describe('model loading errors: one code per cause, from every feature', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-model-errors-'));
  const photos = path.join(root, 'photos');
  const installedDir = path.join(root, 'models');
  const registry = new ModelRegistry({ bundledDir: path.join(root, 'no-bundled-packs'), installedDir, log: () => {} });
  class NoPackServices extends Services {
    override get models(): ModelRegistry {
      return registry;
    }
  }
  let services: Services;
  const call = (method: MethodName, input: unknown) => invoke(handlers, method, input, { services, progress: () => {}, signal: new AbortController().signal });

  beforeAll(() => {
    fs.mkdirSync(photos);
    // The only pack is broken: config.json without the files beside it.
    fs.mkdirSync(path.join(installedDir, 'broken'), { recursive: true });
    fs.writeFileSync(path.join(installedDir, 'broken', 'config.json'), JSON.stringify({ model_type: 'siglip' }));
    services = new NoPackServices({ dbPath: path.join(root, 'catalog.db') });
  });
  afterAll(async () => {
    services.close();
    await registry.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** One call per feature, loading the pack `model` (the default pack when undefined). */
  const features: Array<[string, MethodName, (model: string | undefined) => unknown]> = [
    ['search', 'search.query', (model) => ({ text: 'red mug', model })],
    ['import', 'catalog.import', (model) => ({ paths: [photos], models: model ? [model] : undefined })],
    ['mismatch', 'mismatch.list', (model) => ({ model })],
    ['duplicates', 'duplicates.find', (model) => ({ model })],
    ['compare', 'compare.query', (model) => ({ text: 'red mug', models: model ? [model, 'other'] : undefined })],
    ['embed', 'models.embed', (model) => ({ text: 'red mug', model })],
  ];

  it.each(features)('%s: an unknown pack id is not_found', async (_feature, method, input) => {
    await expect(call(method, input('nope'))).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no model pack "nope"/) });
  });

  it.each(features)('%s: a broken pack is unavailable, with the reason', async (_feature, method, input) => {
    await expect(call(method, input('broken'))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/model pack "broken" is incomplete: preprocessor_config.json is missing/) });
  });

  it.each(features.filter(([feature]) => feature !== 'duplicates' && feature !== 'compare'))('%s: no usable pack installed is unavailable', async (_feature, method, input) => {
    await expect(call(method, input(undefined))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/no usable model pack is installed/) });
  });

  it('duplicates need no pack (image hashes alone), compare says it needs two', async () => {
    await expect(call('duplicates.find', {})).resolves.toMatchObject({ groups: [] });
    await expect(call('compare.query', { text: 'red mug' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/comparing needs two packs/) });
  });
});
