/**
 * A small radix-2 complex FFT on split Float64Arrays (re, im), in place, for the convolution paths of
 * the exact Mixup loss (src/mixup/convolution/). Iterative decimation in time after a bit-reversal
 * permutation. Twiddles are computed directly as cos/sin(2πk/M) for every k < M/2 (never by recurrence),
 * so each one is correct to an ulp and the transform's rounding error is the textbook
 * ‖ŷ − y‖₂ ≤ log₂M·η/(1 − log₂M·η)·‖y‖₂ with η ≈ 5ε (Higham, Accuracy and Stability, Thm 24.2).
 * Plans are cached by size.
 */
const plans = new Map<number, FftPlan>();

export class FftPlan {
  readonly size: number;
  readonly log2: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FftPlan: size ${size} is not a power of two`);
    }
    this.size = size;
    this.log2 = Math.round(Math.log2(size));
    const h = size >>> 1;
    this.cos = new Float64Array(Math.max(h, 1));
    this.sin = new Float64Array(Math.max(h, 1));
    for (let k = 0; k < h; k++) {
      // exact at the quarter points, so the symmetric twiddles are exactly 0, ±1
      if (4 * k === size) {
        this.cos[k] = 0;
        this.sin[k] = 1;
      } else {
        const t = (2 * Math.PI * k) / size;
        this.cos[k] = Math.cos(t);
        this.sin[k] = Math.sin(t);
      }
    }
    this.rev = new Uint32Array(size);
    for (let i = 0, j = 0; i < size; i++) {
      this.rev[i] = j;
      let bit = h;
      while (bit > 0 && j & bit) {
        j ^= bit;
        bit >>>= 1;
      }
      j |= bit;
    }
  }

  /** The cached plan of a size (a power of two). */
  static of(size: number): FftPlan {
    let p = plans.get(size);
    if (p === undefined) {
      p = new FftPlan(size);
      if (plans.size > 32) plans.clear();
      plans.set(size, p);
    }
    return p;
  }

  /**
   * In place: X_k = Σ_j x_j e^{∓2πi jk/M} (forward: minus sign). The inverse is NOT scaled by 1/M.
   * re and im must have length ≥ size; only [0, size) is used.
   */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const M = this.size;
    const rev = this.rev;
    for (let i = 0; i < M; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    // first stage (len = 2): twiddle 1
    for (let a = 0; a + 1 < M; a += 2) {
      const xr = re[a + 1];
      const xi = im[a + 1];
      re[a + 1] = re[a] - xr;
      im[a + 1] = im[a] - xi;
      re[a] += xr;
      im[a] += xi;
    }
    const cs = this.cos;
    const sn = this.sin;
    const sgn = inverse ? 1 : -1;
    for (let len = 4; len <= M; len <<= 1) {
      const half = len >>> 1;
      const step = M / len;
      if (half <= 32) {
        // short butterflies: twiddle-outer, each w^k loaded once per stage
        for (let k = 0; k < half; k++) {
          const wr = cs[k * step];
          const wi = sgn * sn[k * step];
          for (let a = k; a < M; a += len) {
            const b = a + half;
            const br = re[b];
            const bi = im[b];
            const xr = br * wr - bi * wi;
            const xi = br * wi + bi * wr;
            const ar = re[a];
            const ai = im[a];
            re[b] = ar - xr;
            im[b] = ai - xi;
            re[a] = ar + xr;
            im[a] = ai + xi;
          }
        }
      } else {
        // long butterflies: block-outer, contiguous inner loop
        for (let s0 = 0; s0 < M; s0 += len) {
          for (let k = 0, t = 0; k < half; k++, t += step) {
            const wr = cs[t];
            const wi = sgn * sn[t];
            const a = s0 + k;
            const b = a + half;
            const br = re[b];
            const bi = im[b];
            const xr = br * wr - bi * wi;
            const xi = br * wi + bi * wr;
            const ar = re[a];
            const ai = im[a];
            re[b] = ar - xr;
            im[b] = ai - xi;
            re[a] = ar + xr;
            im[a] = ai + xi;
          }
        }
      }
    }
  }
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

/**
 * Linear convolution of two real sequences by direct summation: out[k] = Σ_{i+j=k} a[i]·b[j],
 * out.length ≥ na + nb − 1. Each entry is a plain sum of products: error ≤ min(na, nb)·ε·Σ|a_i b_j|.
 */
export function convolveDirect(a: Float64Array, na: number, b: Float64Array, nb: number, out: Float64Array): void {
  out.fill(0, 0, na + nb - 1);
  for (let i = 0; i < na; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let j = 0; j < nb; j++) out[i + j] += ai * b[j];
  }
}
