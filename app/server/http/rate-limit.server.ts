// Token buckets in process memory. Each web process enforces its own share; with N
// processes behind a balancer the effective limit is about N times the setting,
// which is the intended slack (the limit guards the database, not a contract).
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
  ) {}

  /** Takes `cost` tokens; returns 0 when allowed, else the seconds to wait. */
  take(key: string, cost = 1, nowMs = Date.now()): number {
    this.sweep(nowMs);
    let b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.capacity, b.tokens + ((nowMs - b.at) / 1000) * this.refillPerSecond);
    else this.buckets.set(key, (b = { tokens: this.capacity, at: nowMs }));
    b.at = nowMs;
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - b.tokens) / this.refillPerSecond));
  }

  private sweep(nowMs: number) {
    if (nowMs - this.lastSweep < 60_000) return;
    this.lastSweep = nowMs;
    const full = (this.capacity / this.refillPerSecond) * 1000;
    for (const [k, b] of this.buckets) if (nowMs - b.at > full) this.buckets.delete(k);
  }
}
