// Column prices from an epsilon-scaling auction: near-optimal duals that shorten the exact solver's searches.

/**
 * Runs Bertsekas' forward auction on a square row-major cost with epsilon scaled down from the
 * cost range, and writes column duals v = -price. The result only needs to be a good start: the
 * exact solver rebuilds feasible row duals from it and finishes with shortest augmenting paths.
 */
export function auctionDuals(c: Float64Array, n: number, v: Float64Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < c.length; k++) {
    if (c[k] < lo) lo = c[k];
    if (c[k] > hi) hi = c[k];
  }
  const range = hi - lo;
  v.fill(0);
  if (!(range > 0) || !Number.isFinite(range) || n < 2) return;
  const price = new Float64Array(n);
  const owner = new Int32Array(n);
  const queue = new Int32Array(n);
  // Stopping at range / (16 n) rather than finer: augmenting row reduction and the searches place the last rows for
  // less than the extra phase of bids (counted over 2-D and 32-D Gaussian batches of 256, shifted and not).
  const epsFinal = range / (16 * n);
  const maxBidsPerPhase = 40 * n;
  // each phase divides eps by 6; a step that would land just short of epsFinal goes straight to it, as a phase at
  // 1.02 epsFinal followed by one at epsFinal costs a full round of bids for nothing
  for (let eps = range / 8; ; eps = eps / 6 < 1.5 * epsFinal ? epsFinal : eps / 6) {
    owner.fill(-1);
    for (let i = 0; i < n; i++) queue[i] = i;
    let head = 0;
    let size = n; // circular queue of unassigned rows
    let bids = 0;
    while (size > 0 && bids < maxBidsPerPhase) {
      const i = queue[head];
      head = head + 1 === n ? 0 : head + 1;
      size--;
      bids++;
      const base = i * n;
      let w1 = Infinity;
      let w2 = Infinity;
      let j1 = 0;
      for (let j = 0; j < n; j++) {
        const w = c[base + j] + price[j];
        if (w < w2) {
          if (w < w1) {
            w2 = w1;
            w1 = w;
            j1 = j;
          } else w2 = w;
        }
      }
      price[j1] += w2 - w1 + eps;
      const prev = owner[j1];
      owner[j1] = i;
      if (prev !== -1) {
        queue[(head + size) % n] = prev;
        size++;
      }
    }
    if (eps <= epsFinal) break;
  }
  for (let j = 0; j < n; j++) v[j] = -price[j];
}
