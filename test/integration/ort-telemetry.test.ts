import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * ONNX Runtime's telemetry (src-main/engine/ort.ts) stays off: a process that embeds an image
 * leaves no device id or event store in the home folder and no debug log in /tmp. The second test
 * shows what the same ONNX Runtime does when nobody turns it off, so the first one tests something.
 */
const root = path.resolve(import.meta.dirname, '../..');
const image = path.join(root, 'resources/demo-catalog/images/l0001.jpg');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * ONNX Runtime keeps quiet on build machines: it looks for these variables (the names are in its
 * library). Both runs drop them, so that on CI too the first test sees what a user's laptop gets.
 */
const CI_MARKERS = ['CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'TRAVIS', 'JENKINS_URL', 'CODEBUILD_BUILD_ID', 'BUILDKITE', 'TEAMCITY_VERSION', 'APPVEYOR', 'BITBUCKET_BUILD_NUMBER'];

function run(args: string[]): { home: string; pid: number; status: number | null; stderr: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-telemetry-'));
  dirs.push(home);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, LOOKALIKE_HOME: path.join(home, 'lookalike') };
  for (const name of ['ORT_DISABLE_TELEMETRY', ...CI_MARKERS]) delete env[name];
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  return { home, pid: r.pid!, status: r.status, stderr: r.stderr };
}

const traces = (home: string, pid: number) => ({
  store: fs.existsSync(path.join(home, '.cache', 'Microsoft')),
  debugLog: fs.existsSync(`/tmp/mat-debug-${pid}.log`),
});

describe.runIf(process.platform === 'linux')('ONNX Runtime telemetry', () => {
  it('is off in every Lookalike process that creates a session', () => {
    const r = run(['bin/lookalike.js', 'embed', '--model', 'demo-siglip', '--image', image]);
    expect(r.status, r.stderr).toBe(0);
    expect(traces(r.home, r.pid)).toEqual({ store: false, debugLog: false });
  });

  it('is on in onnxruntime-node itself (what the engine turns off)', () => {
    const model = path.join(root, 'resources/models/demo-siglip/onnx/vision_model.onnx');
    const r = run(['-e', `require('onnxruntime-node').InferenceSession.create(${JSON.stringify(model)}).then(() => process.exit(0))`]);
    expect(r.status, r.stderr).toBe(0);
    const t = traces(r.home, r.pid);
    fs.rmSync(`/tmp/mat-debug-${r.pid}.log`, { force: true });
    expect(t).toEqual({ store: true, debugLog: true });
  });
});
