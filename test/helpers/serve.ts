import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

export interface Served {
  url: string;
  origin: string;
  port: number;
  token: string;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

/** Starts `lookalike serve --port 0` on a fresh catalog in a temp folder, as a user would. */
export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-serve-'));
  const child = spawn(process.execPath, ['bin/lookalike.js', 'serve', '--port', '0', '--db', path.join(dir, 'catalog.db'), ...extraArgs], {
    cwd: root,
    env: { ...process.env, LOOKALIKE_HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  const u = new URL(url);
  return {
    url,
    port,
    origin: u.origin,
    token: u.searchParams.get('token') ?? '',
    dir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
