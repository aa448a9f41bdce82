import { describe, expect, it } from 'vitest';
import { cpuTimed, endToEndCeiling } from '../../src-main/bench/models.js';

describe('endToEndCeiling', () => {
  it('is what the CPUs allow when decode and model share them', () => {
    // 8-bit CLIP B/32 on the 2-core VM: 87 images/s model-only at 23 ms of CPU each, 6.3 ms to decode.
    expect(endToEndCeiling(87, 23, 6.3, 2)).toBeCloseTo(2000 / (29.3 * 87), 6);
    // The same model on twice the CPUs: decoding fits in the spare ones.
    expect(endToEndCeiling(87, 23, 6.3, 4)).toBe(1);
    // One CPU: the model uses it all, so decode time comes straight off the ratio.
    expect(endToEndCeiling(50, 20, 5, 1)).toBeCloseTo(0.8, 6);
  });

  it('is 1 when decoding costs nothing', () => {
    expect(endToEndCeiling(100, 20, 0, 2)).toBe(1);
  });
});

describe('cpuTimed', () => {
  it('counts the CPU time of the work, not the time spent waiting', async () => {
    // Busy until this process has used 40 ms of CPU, however loaded the machine is.
    const busy = await cpuTimed(async () => {
      const start = process.cpuUsage();
      let x = 0;
      for (;;) {
        for (let i = 0; i < 1e5; i++) x = (x * 31 + i) | 0;
        const { user, system } = process.cpuUsage(start);
        if (user + system >= 40_000) return x;
      }
    });
    expect(busy.cpuMs).toBeGreaterThanOrEqual(40);
    const idle = await cpuTimed(() => new Promise((r) => setTimeout(r, 200)));
    expect(idle.seconds).toBeGreaterThanOrEqual(0.19);
    expect(idle.cpuMs).toBeLessThan(100);
  });
});
