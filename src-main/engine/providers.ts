import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ort } from './ort.js';
import { BadInputError } from './errors.js';

export const PROVIDERS = ['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ProviderAttempt {
  provider: ProviderName;
  reason: string;
}

/** Which provider runs a session, and why each one tried before it was skipped. */
export interface ProviderReport {
  active: ProviderName;
  skipped: ProviderAttempt[];
  /** True when the configuration (LOOKALIKE_PROVIDER / --provider) chose the order. */
  forced: boolean;
}

export function isProviderName(v: string): v is ProviderName {
  return (PROVIDERS as readonly string[]).includes(v);
}

/** The order to try on this platform: GPU providers where onnxruntime-node can have them, CPU last. */
export function defaultProviderOrder(platform = process.platform, arch = process.arch): ProviderName[] {
  const order: ProviderName[] = [];
  if (platform === 'linux' || platform === 'win32') order.push('cuda', 'tensorrt');
  if (platform === 'win32') order.push('dml');
  if (platform === 'darwin') order.push('coreml');
  if ((platform === 'linux' && arch === 'x64') || platform === 'win32' || platform === 'darwin') order.push('webgpu');
  order.push('cpu');
  return order;
}

/**
 * Parses a forced order ("cpu", "webgpu,cpu"). One provider means exactly that one, no fallback;
 * a list is tried in order.
 */
export function parseProviderOrder(value: string): ProviderName[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) throw new Error('empty provider list');
  for (const n of names) if (!isProviderName(n)) throw new BadInputError(`unknown execution provider "${n}" (known: ${PROVIDERS.join(', ')})`);
  return names as ProviderName[];
}

/**
 * Why a provider cannot start here, known without trying: CUDA/TensorRT libraries that
 * onnxruntime-node only has after `npm install --onnxruntime-node-install=cuda12`, or no Vulkan loader for WebGPU.
 */
function missingLibrary(provider: ProviderName, forced: boolean): string | null {
  // Without a Vulkan loader Dawn prints a native warning and WebGPU fails anyway; a forced
  // "webgpu" still tries, for loaders in places this check does not know.
  if (provider === 'webgpu') return process.platform === 'linux' && !forced && !findVulkanLoader() ? NO_VULKAN : null;
  if (provider !== 'cuda' && provider !== 'tensorrt') return null;
  const supported = ort.listSupportedBackends().find((b) => b.name === provider);
  if (!supported) return `${provider} is not built into this onnxruntime-node for ${process.platform}-${process.arch}`;
  if (supported.bundled) return null;
  const lib = process.platform === 'win32' ? `onnxruntime_providers_${provider}.dll` : `libonnxruntime_providers_${provider}.so`;
  if (fs.existsSync(path.join(bindingDir(), lib))) return null;
  return `${lib} is not installed (reinstall with: npm install --onnxruntime-node-install=cuda12)`;
}

export const NO_VULKAN = 'no Vulkan loader (libvulkan.so.1) found: install libvulkan1 and the GPU vendor\'s Vulkan driver';

const LINUX_LIBRARY_DIRS = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
  '/usr/lib64',
  '/usr/lib',
  '/lib64',
  '/lib',
  '/usr/local/lib',
];

/** Where the dynamic linker would find the Vulkan loader on Linux: LD_LIBRARY_PATH, then the usual system folders. */
export function findVulkanLoader(env: NodeJS.ProcessEnv = process.env, systemDirs = LINUX_LIBRARY_DIRS): string | null {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...systemDirs];
  for (const dir of dirs) {
    const file = path.join(dir, 'libvulkan.so.1');
    if (fs.existsSync(file)) return file;
  }
  return null;
}

function bindingDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

export interface SessionSettings {
  order: ProviderName[];
  forced: boolean;
  intraOpThreads: number;
  /**
   * Whether idle intra-op threads spin (ORT's default) or sleep. Spinning saves microseconds per
   * operator on an idle machine and costs 2-3x when another job wants the cores; off by default,
   * LOOKALIKE_SPIN=1 turns it on.
   */
  spinning: boolean;
}

/** Logical CPUs this process may use (affinity and cgroup limits included where Node knows them). */
export function logicalCpus(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * Distinct physical cores among the logical CPUs, from Linux's topology files: each CPU's
 * `core_cpus_list` (older kernels: `thread_siblings_list`) names the hardware threads of its core.
 */
export function physicalCoresFromTopology(siblingLists: Array<string | null>): number | null {
  const cores = new Set<string>();
  for (const list of siblingLists) {
    if (list === null) return null;
    cores.add(list.trim());
  }
  return cores.size || null;
}

function readTopology(cpu: number): string | null {
  for (const name of ['core_cpus_list', 'thread_siblings_list']) {
    try {
      return fs.readFileSync(`/sys/devices/system/cpu/cpu${cpu}/topology/${name}`, 'utf8');
    } catch {
      // older kernel or no sysfs: try the next name
    }
  }
  return null;
}

let physicalCache: number | null = null;

/**
 * Physical cores this process can use. SMT siblings share one core's execution units, so a
 * second inference thread on them adds little and competes with the UI and decoding. Linux reads
 * the CPU topology, macOS asks sysctl; elsewhere (Windows) half the logical CPUs when there are
 * at least 4 (2 hardware threads per core is the common case), else all of them.
 */
export function physicalCores(): number {
  if (physicalCache !== null) return physicalCache;
  const logical = logicalCpus();
  let physical: number | null = null;
  if (process.platform === 'linux') {
    const online = os.cpus().length;
    physical = physicalCoresFromTopology(Array.from({ length: online }, (_, i) => readTopology(i)));
    // Fewer CPUs allowed than online (taskset, containers): assume the same threads per core.
    if (physical !== null && logical < online) physical = Math.max(1, Math.round((logical * physical) / online));
  } else if (process.platform === 'darwin') {
    try {
      physical = Number(execFileSync('sysctl', ['-n', 'hw.physicalcpu'], { encoding: 'utf8', timeout: 2000 }).trim()) || null;
    } catch {
      physical = null;
    }
  }
  physicalCache = Math.max(1, Math.min(logical, physical ?? (logical >= 4 ? Math.floor(logical / 2) : logical)));
  return physicalCache;
}

/**
 * Default intra-op threads: one per physical core. The threads do not spin while they wait
 * (`allow_spinning` 0, see createSession), so a competing job does not make them fight over the
 * cores; the backend process runs below normal priority (backend/host.ts), so the window stays
 * first in line. Measured on 2 cores: one thread instead of two halved real-size SigLIP idle (2.5
 * vs 5.0 images/s); under load spinning threads lost 2-3x where non-spinning ones held
 * (docs/PERFORMANCE.md, `lookalike bench --only threads`).
 */
export function defaultThreads(): number {
  return physicalCores();
}

/**
 * Towers smaller than this run on one intra-op thread whatever the setting allows. Their operators
 * take microseconds, less than waking a second thread costs: measured on 2 cores (model only,
 * interleaved), the demo text towers (1.3-1.7 MB) ran 1.6-2x faster on one thread than on two,
 * idle and with a busy loop per CPU, the demo vision towers 1.3x at batch 1 (0.75x at batch 8, where
 * end to end is decode-bound anyway and the second core decodes); real-size towers (64-441 MB)
 * gain from every core.
 */
export const SMALL_TOWER_BYTES = 16 * 1024 * 1024;

/** Intra-op threads for one tower: the setting's, or one for a small tower (SMALL_TOWER_BYTES). */
export function towerThreads(settingThreads: number, towerBytes: number): number {
  return towerBytes < SMALL_TOWER_BYTES ? 1 : settingThreads;
}

/** Session settings from the engine's configuration (shared/config.ts EngineConfig); unset fields take the defaults. */
export function sessionSettings(options: { provider?: string; threads?: number; spinning?: boolean } = {}): SessionSettings {
  return {
    order: options.provider ? parseProviderOrder(options.provider) : defaultProviderOrder(),
    forced: Boolean(options.provider),
    intraOpThreads: options.threads ?? defaultThreads(),
    spinning: options.spinning ?? false,
  };
}

/**
 * Providers that failed in this process, with the reason. Trying WebGPU or CUDA can cost a second
 * or more when there is no device, so each failure is paid once per process.
 */
const unavailable = new Map<ProviderName, string>();

export function resetProviderCache(): void {
  unavailable.clear();
}

function epOption(provider: ProviderName): ort.InferenceSession.ExecutionProviderConfig {
  return provider === 'dml' ? { name: 'dml' } : provider;
}

/**
 * Creates a session on the first provider in `settings.order` that works. onnxruntime-node throws
 * when a provider is unavailable instead of falling back, so each is tried explicitly.
 */
export async function createSession(
  modelPath: string,
  settings: SessionSettings,
): Promise<{ session: ort.InferenceSession; report: ProviderReport }> {
  const skipped: ProviderAttempt[] = [];
  for (const provider of settings.order) {
    const known = missingLibrary(provider, settings.forced) ?? unavailable.get(provider);
    if (known) {
      skipped.push({ provider, reason: known });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [epOption(provider)],
        intraOpNumThreads: settings.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        ...(settings.spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } }),
      });
      return { session, report: { active: provider, skipped, forced: settings.forced } };
    } catch (err) {
      const reason = firstLine(err);
      // A broken model file fails on every provider: report it as such, not as a provider problem.
      if (provider === 'cpu' || /protobuf|invalid model|load model|no such file|ENOENT/i.test(reason)) {
        throw new Error(`cannot load ${path.basename(modelPath)}: ${reason}`);
      }
      unavailable.set(provider, reason);
      skipped.push({ provider, reason });
    }
  }
  const why = skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  throw new Error(`no execution provider could run ${path.basename(modelPath)} (${why})`);
}

/** ORT's messages start with a source location and a lambda signature; keep the readable part. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  let line = (text.split('\n').find((l) => l.trim()) ?? text).trim().replace(/^\/\S+:\d+\s+/, '');
  const assertion = line.indexOf(' was false. ');
  if (assertion >= 0) line = line.slice(assertion + ' was false. '.length);
  return line.slice(0, 300);
}
