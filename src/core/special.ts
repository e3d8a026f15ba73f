/**
 * Numerically stable scalar functions used by every loss family.
 * softplus(z) = log(1 + e^z) written as max(z, 0) + log1p(e^{-|z|}): finite for |z| up to 1e300
 * and never subtracting nearly equal numbers.
 */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** σ(z) = 1/(1+e^{-z}), evaluated on the side where exp cannot overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** σ(z)(1 − σ(z)) = e^{−|z|}/(1+e^{−|z|})², accurate in both tails. */
export function sigmoidPrime(z: number): number {
  const e = Math.exp(-Math.abs(z));
  const d = 1 + e;
  return e / (d * d);
}

/** log Σ_k exp(z[off + k·stride]) for k < K, shifted by the max. */
export function logSumExp(z: ArrayLike<number>, off = 0, K = z.length - off, stride = 1): number {
  let m = -Infinity;
  for (let k = 0; k < K; k++) {
    const v = z[off + k * stride];
    if (v > m) m = v;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[off + k * stride] - m);
  return m + Math.log(s);
}

/** softmax of z[off..off+K) into out[outOff..outOff+K). */
export function softmaxInto(
  z: ArrayLike<number>,
  off: number,
  K: number,
  out: Float64Array,
  outOff = 0,
): void {
  let m = -Infinity;
  for (let k = 0; k < K; k++) if (z[off + k] > m) m = z[off + k];
  let s = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(z[off + k] - m);
    out[outOff + k] = e;
    s += e;
  }
  for (let k = 0; k < K; k++) out[outOff + k] /= s;
}

/** log Γ(x) for x > 0: Lanczos (g = 607/128, 15 terms, Godfrey's coefficients), |rel err| ≲ 1e-15. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x = ${x} must be > 0`);
  if (x < 0.5) {
    // reflection keeps accuracy near 0
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  x -= 1;
  let a = LANCZOS[0];
  const t = x + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4,
  -0.98374475304879564677e-4, 0.15808870322491248884e-3, -0.21026444172410488319e-3,
  0.2174396181152126432e-3, -0.16431810653676389022e-3, 0.84418223983852743293e-4,
  -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];

/**
 * softplus(u + d) − softplus(u) without cancellation: log1p(σ(u)·expm1(d)) for |d| ≤ 1 (every factor is
 * relatively accurate, so the difference is too, however small d is), the plain difference for larger
 * |d| (then it is at least ~|d|·min(σ) in size and the two values do not nearly cancel). Lemma 3.1's
 * remainder is a small difference of such terms (taylor/directRemainder.ts).
 */
export function softplusDiff(u: number, d: number): number {
  if (Math.abs(d) <= 1) return Math.log1p(sigmoid(u) * Math.expm1(d));
  return softplus(u + d) - softplus(u);
}
