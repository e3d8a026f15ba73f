/**
 * A table-driven logistic loss for the pair quadrature's inner loop (pairs/loss.ts). The exact Mixup
 * loss with a logistic head evaluates softplus hundreds of millions of times (bench/run.ts), and
 * Math.exp + Math.log1p cost ~30 ns per node here; this costs a table load and nine multiply-adds.
 *
 * φ(t) = log1p(e^{−t}) for t ≥ 0 (then softplus(z) = max(z, 0) + φ(|z|)):
 *  - t < 36: the degree-8 Taylor polynomial of φ about the midpoint of t's interval of width 1/16.
 *    Truncation: |s| ≤ 1/32 and φ^{(9)}/9! ≤ max(e^{−t}, π^{−9}) (φ's nearest singularities are at ±iπ), so
 *    the remainder is below 1e-18·φ(t). The coefficients φ^{(k)}(t₀)/k! come from φ' = −p, p = σ(−t),
 *    p' = p² − p: D^j p is a polynomial in p with integer coefficients, evaluated at the rounded p.
 *  - t ≥ 36: φ = u − u²/2 with u = e^{−t} ≤ 2.4e-16 (the next term is below 1e-32 relative).
 * Measured against Math.log1p(Math.exp(−t)) on 10⁶ points of [0, 800] (test/mixup/softplusTable.test.ts):
 * within 2.5 ulp relative, i.e. as accurate as the library form. Both terms of the loss are ≥ 0 for labels
 * in [0, 1], so the loss keeps that relative accuracy (the family's form, src/losses/logistic.ts).
 *
 * The gradient's inner loop (pairs/grad.ts) needs σ at every node as well: s(t) = −φ'(t) = σ(−t)
 * comes from the derivative (degree 7) of the same cell polynomial (phiAndSigma). Truncation of the
 * derivative: 9·|c₉|·|δ|⁸ with |δ| ≤ 1/32, i.e. below 3e-16·max(s, π⁻⁹·…) absolutely; for t ≥ 36,
 * s = u/(1+u) with u = e^{−t}. Measured against e^{−t}/(1 + e^{−t}): within 2e-15 relative (tested).
 */

const PER_UNIT = 16;
const T_MAX = 36;
const DEG = 8;
const STRIDE = DEG + 1;
const CELLS = T_MAX * PER_UNIT;
const COEF = buildTable();

function buildTable(): Float64Array {
  // Q_j(p) = D^j p as polynomial coefficients in p (index = power): Q_0 = p, Q_{j+1} = Q_j'(p)·(p² − p)
  const Q: number[][] = [[0, 1]];
  for (let j = 1; j < DEG; j++) {
    const q = Q[j - 1];
    const next = new Array(q.length + 1).fill(0);
    for (let e = 1; e < q.length; e++) {
      const d = e * q[e]; // coefficient of p^{e−1} in Q'
      next[e + 1] += d; // · p²
      next[e] -= d; // · (−p)
    }
    Q.push(next);
  }
  const out = new Float64Array(CELLS * STRIDE);
  let fact = 1;
  const invFact = [1];
  for (let k = 1; k <= DEG; k++) {
    fact *= k;
    invFact.push(1 / fact);
  }
  for (let i = 0; i < CELLS; i++) {
    const t0 = (i + 0.5) / PER_UNIT;
    const e = Math.exp(-t0);
    const p = e / (1 + e);
    out[i * STRIDE] = Math.log1p(e);
    for (let k = 1; k <= DEG; k++) {
      const q = Q[k - 1];
      let v = 0;
      for (let c = q.length - 1; c >= 0; c--) v = v * p + q[c];
      out[i * STRIDE + k] = -v * invFact[k];
    }
  }
  return out;
}

/**
 * φ on cell o (its coefficients at COEF[o..o+9)) at s = t − the cell's midpoint. Estrin's scheme: four
 * independent short chains instead of one of depth 8 (Horner's latency chain made this ~3× slower); the
 * c0 + c1·s pair dominates (|c1·s| ≤ c0/32 for t ≥ 1), so the rounding stays at Horner's level (measured).
 */
function phiCell(o: number, s: number): number {
  const c = COEF;
  const s2 = s * s;
  const s4 = s2 * s2;
  return (
    c[o] +
    (s * c[o + 1] + (s2 * (c[o + 2] + s * c[o + 3]) + s4 * (c[o + 4] + s * c[o + 5] + s2 * (c[o + 6] + s * c[o + 7]) + s4 * c[o + 8])))
  );
}

/** log1p(e^{−t}) for t ≥ 0 (see the file comment for the accuracy). */
export function log1pExpNeg(t: number): number {
  if (t < T_MAX) {
    const i = (t * PER_UNIT) | 0;
    return phiCell(i * STRIDE, t - (i + 0.5) / PER_UNIT);
  }
  const u = Math.exp(-t);
  return u - 0.5 * u * u;
}

/** Result slot of phiAndSigma: σ(−t). */
export let sigNeg = 0;

/** φ(t) = log1p(e^{−t}) for t ≥ 0; sets sigNeg = σ(−t) = −φ'(t). */
export function phiAndSigma(t: number): number {
  if (t < T_MAX) {
    const i = (t * PER_UNIT) | 0;
    const s = t - (i + 0.5) / PER_UNIT;
    const o = i * STRIDE;
    const c = COEF;
    const s2 = s * s;
    const s4 = s2 * s2;
    // φ' = c1 + 2c2 s + … + 8c8 s⁷ (Estrin, as the value)
    sigNeg = -(
      c[o + 1] +
      (s * (2 * c[o + 2]) + s2 * (3 * c[o + 3] + s * (4 * c[o + 4])) + s4 * (5 * c[o + 5] + s * (6 * c[o + 6]) + s2 * (7 * c[o + 7] + s * (8 * c[o + 8]))))
    );
    return phiCell(o, s);
  }
  const u = Math.exp(-t);
  sigNeg = u / (1 + u);
  return u - 0.5 * u * u;
}

/**
 * Logistic loss l(z, y) = log1p(e^{−|z|}) + (1−y)·max(z, 0) + y·max(−z, 0) for finite z and y ∈ [0, 1]: the
 * non-negative terms of src/losses/logistic.ts with φ from the table. Hard labels give softplus(±z).
 */
export function logisticLossFast(z: number, y: number): number {
  return z > 0 ? log1pExpNeg(z) + (1 - y) * z : log1pExpNeg(-z) - y * z;
}

/**
 * logisticLossFast with 1 − y given as yb: the mixed label's complement λ(1 − y_i) + (1−λ)(1 − y_j) is
 * accurate from λ and 1 − λ, where 1 − ỹ formed from ỹ loses its digits next to λ = 1 (1 − ỹ ~ 1e-6
 * keeps 10 of them), and the loss there, (1 − ỹ)·z, is only as accurate as that.
 */
export function logisticLossBar(z: number, y: number, yb: number): number {
  return z > 0 ? log1pExpNeg(z) + yb * z : log1pExpNeg(-z) - y * z;
}

/**
 * The gradient path's logistic loss and dl/dz at z from ph = phiAndSigma(|z|) and s = sigNeg, with the label
 * y and its complement yb = 1 − y (see logisticLossBar; then logisticFromPhi is logisticLossBar's value to
 * the bit, and logisticGradFromSig is σ(z) − y without
 * cancellation on the saturated side). Two pure functions rather than one with a result slot: the slot's
 * store and load cost the gradient's inner loop ~25%.
 */
export function logisticFromPhi(z: number, y: number, yb: number, ph: number): number {
  return z > 0 ? ph + yb * z : ph - y * z;
}

export function logisticGradFromSig(z: number, y: number, yb: number, s: number): number {
  return z > 0 ? yb - s : s - y;
}
