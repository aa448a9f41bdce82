import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BusyLoad, underLoad } from '../../src-main/bench/load.js';
import { threadSettings } from '../../src-main/bench/threads.js';
import { defaultThreads, logicalCpus } from '../../src-main/engine/providers.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** User + system CPU seconds of a process (Linux). */
const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

describe('the bench\'s competing CPU job', () => {
  it.skipIf(process.platform !== 'linux')('burns CPU in another process until stopped', async () => {
    const load = await BusyLoad.start({ threads: 1, maxSeconds: 30 });
    try {
      const before = cpuSeconds(load.pid);
      // Its CPU time grows: a fifth of a core-second, however long a busy machine takes to give it that.
      await expect.poll(() => cpuSeconds(load.pid) - before, { timeout: 25_000, interval: 200 }).toBeGreaterThan(0.2);
    } finally {
      await load.stop();
    }
    expect(alive(load.pid)).toBe(false);
  });

  it('is bounded: exits by itself after maxSeconds', async () => {
    const load = await BusyLoad.start({ threads: 1, maxSeconds: 0.5 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(alive(load.pid)).toBe(false);
    await load.stop(); // harmless when already gone
  });

  it('underLoad stops the job even when the work fails', async () => {
    let pid = 0;
    await expect(
      underLoad(
        async (load) => {
          pid = load.pid;
          expect(alive(pid)).toBe(true);
          throw new Error('work failed');
        },
        { threads: 1, maxSeconds: 30 },
      ),
    ).rejects.toThrow('work failed');
    expect(alive(pid)).toBe(false);
  });

  it('compares the default threads with one and with every logical CPU spinning', () => {
    expect(threadSettings()).toEqual([
      { name: 'default', threads: defaultThreads(), spinning: false },
      { name: 'one', threads: 1, spinning: false },
      { name: 'all', threads: logicalCpus(), spinning: true },
    ]);
  });
});
