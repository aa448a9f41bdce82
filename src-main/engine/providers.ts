import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
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
  /** True when LOOKALIKE_PROVIDER / --provider chose the order. */
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
}

/**
 * Default intra-op threads: every core. Leaving one idle for the UI halved real-size SigLIP on 2
 * cores (2.5 -> 5.0 images/s, docs/PERFORMANCE.md); the backend process runs below normal
 * priority instead (backend/host.ts), so the UI still gets a core when it wants one.
 */
export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export function sessionSettings(options: { provider?: string; threads?: number } = {}, env: NodeJS.ProcessEnv = process.env): SessionSettings {
  const forcedValue = options.provider ?? env.LOOKALIKE_PROVIDER;
  const threadsEnv = env.LOOKALIKE_THREADS ? Number(env.LOOKALIKE_THREADS) : undefined;
  const threads = options.threads ?? (threadsEnv && Number.isInteger(threadsEnv) && threadsEnv > 0 ? threadsEnv : defaultThreads());
  return {
    order: forcedValue ? parseProviderOrder(forcedValue) : defaultProviderOrder(),
    forced: Boolean(forcedValue),
    intraOpThreads: threads,
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
