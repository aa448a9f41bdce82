/** Items per second over a sliding window of recent samples, and the time left at that rate. */
export class RateMeter {
  private readonly samples: Array<{ t: number; done: number }> = [];

  constructor(
    private readonly total: number,
    private readonly windowMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  sample(done: number): { ratePerSecond?: number; etaSeconds?: number } {
    const t = this.now();
    this.samples.push({ t, done });
    while (this.samples.length > 2 && t - (this.samples[1] as { t: number }).t >= this.windowMs) this.samples.shift();
    const first = this.samples[0] as { t: number; done: number };
    const seconds = (t - first.t) / 1000;
    if (seconds < 0.5 || done <= first.done) return {};
    const ratePerSecond = (done - first.done) / seconds;
    return { ratePerSecond, etaSeconds: Math.max(0, this.total - done) / ratePerSecond };
  }
}
