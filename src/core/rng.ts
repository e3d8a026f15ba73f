/**
 * The project's one random generator: xoshiro128** (Blackman & Vigna, 2018) on 32-bit words,
 * seeded through splitmix32. Every random choice in the toolkit (data, instances, Monte Carlo,
 * Beta sampling, PGD starts) draws from an `Rng` derived from the user's `--seed`, so the same
 * seed gives the same bytes. Streams for sub-tasks come from `fork(id)`, which depends only on
 * (seed, path of ids), never on call order elsewhere.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  readonly seed: number;
  readonly path: readonly number[];
  private spare = NaN;

  constructor(seed: number, path: readonly number[] = []) {
    this.seed = seed;
    this.path = path;
    let h = mix32((seed >>> 0) ^ 0x9e3779b9) ^ mix32(Math.floor(seed / 4294967296) >>> 0);
    for (const id of path) h = mix32(h ^ mix32((id >>> 0) + 0x632be5ab));
    // splitmix32 to fill the state; never all zero
    let x = h >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent stream named by `id` below this one's path. */
  fork(id: number): Rng {
    return new Rng(this.seed, [...this.path, id]);
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in (0, 1): never 0, so log() is finite. */
  uniformOpen(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Uniform integer in [0, n), unbiased (rejection). */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296) throw new RangeError(`Rng.int: n = ${n}`);
    if (n <= 4294967296 / 2 && (n & (n - 1)) === 0) return this.nextU32() & (n - 1);
    const limit = Math.floor(4294967296 / n) * n;
    let r = this.nextU32();
    while (r >= limit) r = this.nextU32();
    return r % n;
  }

  /** Standard normal (Marsaglia polar method, with the spare kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The splitmix32 / murmur3 finalizer. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
