import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendClient } from '../../src-main/backend/client.js';
import { BACKEND_NICENESS } from '../../src-main/backend/host.js';

describe('backend process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-backend-'));
  let client: BackendClient | undefined;
  afterEach(async () => {
    await client?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers calls, validates them, and comes back after being killed', async () => {
    client = new BackendClient({ dbPath: path.join(dir, 'catalog.db'), env: { LOOKALIKE_HOME: dir } });
    const status = (await client.call('app.status', {})) as { dbPath: string };
    expect(status.dbPath).toBe(path.join(dir, 'catalog.db'));
    await expect(client.call('app.status', { nope: true })).rejects.toMatchObject({ code: 'bad_request' });

    const firstPid = client.pid;
    expect(firstPid).toBeTypeOf('number');
    // Below normal priority, so the UI keeps a core while inference uses all of them.
    expect(os.getPriority(firstPid as number)).toBe(BACKEND_NICENESS);
    const crashed = new Promise((r) => client?.once('crash', r));
    process.kill(firstPid as number, 'SIGKILL');
    await crashed;
    expect(client.restarts).toBe(1);

    const again = (await client.call('app.status', {})) as { dbPath: string };
    expect(again.dbPath).toBe(status.dbPath);
    expect(client.pid).not.toBe(firstPid);
  });

  it('refuses calls after close with a clear error', async () => {
    client = new BackendClient({ dbPath: path.join(dir, 'catalog.db') });
    await client.close();
    await expect(client.call('app.status', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('backend hang detection', () => {
  it('kills and restarts a backend that stops answering', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-hang-'));
    const client = new BackendClient({ dbPath: path.join(dir, 'catalog.db'), hangTimeoutMs: 5000 });
    try {
      await client.call('app.status', {});
      const pid = client.pid as number;
      const hung = new Promise((r) => client.once('hang', r));
      process.kill(pid, 'SIGSTOP'); // frozen: alive, but answers nothing
      await hung;
      await new Promise((r) => client.once('crash', r));
      await expect(client.call('app.status', {})).resolves.toMatchObject({ dbPath: path.join(dir, 'catalog.db') });
      expect(client.pid).not.toBe(pid);
    } finally {
      await client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
