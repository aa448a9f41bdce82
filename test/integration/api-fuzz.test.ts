import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invoke } from '../../src-main/dispatch/invoke.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import { contract } from '../../src-main/api/contract.js';
import { Services } from '../../src-main/features/services.js';

/** Small seeded PRNG so a failure replays exactly. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 60);
const nasty = ['', ' ', '../../../../etc/passwd', '\u0000', 'a'.repeat(5000), '💥', '%s%n', '<script>', 'NaN', '-1', '1e309'];

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return [0, -1, 1.5, 1e12, -1e12, Number.MAX_SAFE_INTEGER, 3][Math.floor(r() * 7)];
    case 3: return nasty[Math.floor(r() * nasty.length)];
    case 4: return Math.floor(r() * 100);
    case 5: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 12) }, () => 32 + Math.floor(r() * 1000)));
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [String(randomValue(r, 3)), randomValue(r, depth + 1)]));
  }
}

/** Objects shaped like the method's input (its own keys) with values of random type: reaches deeper than noise. */
function shapedValue(schema: z.ZodType, r: () => number): unknown {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  if (keys.length === 0 || r() < 0.3) return randomValue(r);
  return Object.fromEntries(keys.filter(() => r() < 0.8).map((k) => [k, randomValue(r)]));
}

// Messages that mean a handler trusted its input instead of the schema.
const PROGRAMMING_ERROR = /Cannot read prop|undefined is not|is not a function|is not iterable|of null|of undefined|Maximum call stack/;

describe('API fuzz: random JSON never crashes a handler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-fuzz-'));
  const services = new Services({ dbPath: path.join(dir, 'catalog.db') });
  afterAll(() => {
    services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, spec] of Object.entries(contract)) {
    it(`${name}: ${ITERATIONS} random inputs get a result or a clear error`, async () => {
      const r = rng([...name].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
      for (let i = 0; i < ITERATIONS; i++) {
        const input = i % 2 ? randomValue(r) : shapedValue(spec.input, r);
        const abort = new AbortController();
        // Inputs that happen to be valid may start real work (an import): cut it short.
        const timer = setTimeout(() => abort.abort(), 2000);
        try {
          await invoke(handlers, name, input, { services, progress: () => {}, signal: abort.signal });
        } catch (err) {
          expect(err, `input ${JSON.stringify(input)?.slice(0, 200)}`).toBeInstanceOf(Error);
          expect((err as Error).message, `input ${JSON.stringify(input)?.slice(0, 200)}`).not.toMatch(PROGRAMMING_ERROR);
        } finally {
          clearTimeout(timer);
        }
      }
    });
  }
});
