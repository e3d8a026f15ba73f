/**
 * φ(t) = log1p(e^{−t}) and s(t) = −φ'(t) = σ(−t) = e^{−t}/(1 + e^{−t}) for t ≥ 0 from one table: the
 * gradient's inner loop needs both the logistic loss and σ at every node, and Math.exp for σ cost as much as
 * the rest of the node. Same construction as src/mixup/softplusTable.ts (whose table is private): the
 * degree-8 Taylor polynomial of φ about the midpoint of t's cell of width 1/16, for t < 36; its derivative
 * (degree 7) gives s. Truncation of the derivative: 9·|c₉|·|δ|⁸ with |δ| ≤ 1/32, i.e. below 3e-16·max(s, π⁻⁹·…)
 * absolutely; for t ≥ 36, s = u/(1+u) and φ = u − u²/2 with u = e^{−t}. Checked against σ and log1p∘exp
 * in test/mixup/grad.test.ts.
 */
const PER_UNIT = 16;
const T_MAX = 36;
const DEG = 8;
const STRIDE = DEG + 1;
const CELLS = T_MAX * PER_UNIT;
const COEF = buildTable();

function buildTable(): Float64Array {
  const Q: number[][] = [[0, 1]];
  for (let j = 1; j < DEG; j++) {
    const q = Q[j - 1];
    const next = new Array(q.length + 1).fill(0);
    for (let e = 1; e < q.length; e++) {
      const d = e * q[e];
      next[e + 1] += d;
      next[e] -= d;
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

/** Result slot of phiAndSigma: σ(−t). */
export let sigNeg = 0;

/** φ(t) = log1p(e^{−t}) for t ≥ 0; sets sigNeg = σ(−t). */
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
    return (
      c[o] +
      (s * c[o + 1] + (s2 * (c[o + 2] + s * c[o + 3]) + s4 * (c[o + 4] + s * c[o + 5] + s2 * (c[o + 6] + s * c[o + 7]) + s4 * c[o + 8])))
    );
  }
  const u = Math.exp(-t);
  sigNeg = u / (1 + u);
  return u - 0.5 * u * u;
}
