// A token bucket: `capacity` calls at once, refilled at `perSecond`. The runtime keeps one per
// app, so a flooding app gets errors quickly while the shell and other apps stay responsive.
export class TokenBucket {
  constructor(capacity, perSecond, now = () => performance.now()) {
    this.capacity = capacity;
    this.perMs = perSecond / 1000;
    this.now = now;
    this.tokens = capacity;
    this.at = now();
  }

  take() {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.at) * this.perMs);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
