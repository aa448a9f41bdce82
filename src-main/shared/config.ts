import os from 'node:os';
import path from 'node:path';

/**
 * Everything a user can set, resolved in one place: built-in defaults, then the environment, then
 * a front door's flags (the CLI's --db, --provider, ...). Runs in whichever process reads it (CLI,
 * backend, Electron main). Nothing else in src-main reads LOOKALIKE_* variables: the front doors
 * call loadConfig() once and hand the result down (Services, bench context). Choices the app
 * stores (default model, variant per pack) live with the models they belong to, not here.
 */
export interface Config {
  /** Per-user data folder: catalog, installed models (LOOKALIKE_HOME). */
  home: string;
  /** The SQLite catalog (LOOKALIKE_DB, --db); everything derived from it sits next to it. */
  dbPath: string;
  engine: EngineConfig;
  /** Hugging Face Hub base URL for model installs (LOOKALIKE_HF_ENDPOINT). */
  hubEndpoint: string;
  /** Vectors from which the local search store switches to HNSW (LOOKALIKE_ANN_THRESHOLD); unset: the store's default. */
  annThreshold?: number;
  /** Qdrant server (QDRANT_URL, QDRANT_API_KEY; a call's own settings win). */
  qdrant?: { url: string; apiKey?: string };
  /** Extra model packs for `lookalike bench`, e.g. real-size timing packs (LOOKALIKE_REALSIZE_DIR). */
  realsizeDir?: string;
  /** Test hook: each import batch waits this long, so a test can act while an import runs (LOOKALIKE_TEST_IMPORT_DELAY_MS). */
  importDelayMs: number;
}

/** How ONNX Runtime sessions are made; unset fields take the engine's defaults. */
export interface EngineConfig {
  /** Forced provider or order, e.g. "cpu", "webgpu,cpu" (LOOKALIKE_PROVIDER, --provider). */
  provider?: string;
  /** Intra-op threads per session (LOOKALIKE_THREADS); default one per physical core. */
  threads?: number;
  /** Let idle intra-op threads spin (LOOKALIKE_SPIN=1); default off. */
  spinning: boolean;
  /** Weight variant for every pack, e.g. "quantized" (LOOKALIKE_VARIANT); default: chosen per pack. */
  variant?: string;
  /** Decode images on a worker thread (LOOKALIKE_DECODE_WORKER=0 turns it off). */
  decodeWorker: boolean;
}

/** What a front door may set over the environment. */
export interface ConfigFlags {
  dbPath?: string;
  provider?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}, platform = process.platform): Config {
  const home = userDataDir(env, platform);
  const db = flags.dbPath ?? (env.LOOKALIKE_DB || undefined);
  const qdrantUrl = env.QDRANT_URL || undefined;
  return {
    home,
    dbPath: path.resolve(db ?? path.join(home, 'catalog.db')),
    engine: {
      provider: flags.provider ?? (env.LOOKALIKE_PROVIDER || undefined),
      threads: positiveInteger(env, 'LOOKALIKE_THREADS'),
      spinning: env.LOOKALIKE_SPIN === '1',
      variant: env.LOOKALIKE_VARIANT || undefined,
      decodeWorker: env.LOOKALIKE_DECODE_WORKER !== '0',
    },
    hubEndpoint: (env.LOOKALIKE_HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''),
    annThreshold: nonNegativeInteger(env, 'LOOKALIKE_ANN_THRESHOLD'),
    qdrant: qdrantUrl ? { url: qdrantUrl, ...(env.QDRANT_API_KEY ? { apiKey: env.QDRANT_API_KEY } : {}) } : undefined,
    realsizeDir: env.LOOKALIKE_REALSIZE_DIR || undefined,
    importDelayMs: Number(env.LOOKALIKE_TEST_IMPORT_DELAY_MS) || 0,
  };
}

/**
 * Per-user data folder, the same one Electron's app.getPath('userData') gives for "Lookalike",
 * so the desktop app, browser mode and the CLI share one catalog. LOOKALIKE_HOME overrides it.
 */
function userDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.LOOKALIKE_HOME) return path.resolve(env.LOOKALIKE_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lookalike');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lookalike');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lookalike');
}

/** A set variable that is not a whole number is an error, not silently the default. */
function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const n = nonNegativeInteger(env, name);
  if (n === 0) throw new Error(`${name} must be a positive integer, got "0"`);
  return n;
}
