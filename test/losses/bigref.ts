import { all, create, type BigNumber } from "mathjs";

/**
 * High-precision references for the softplus-based quantities: mathjs BigNumber (decimal.js) with 40
 * significant digits, through the Decimal methods (typed, and they keep the 40-digit configuration).
 * mathjs' own log1p rounds 1 + t first (log1p(1e-100) = 0 at 40 digits), so log1p is a series for small
 * t; softplus uses the form that never forms e^{huge} (decimal.js overflows near e^{2e16}).
 */
export const M = create(all, { number: "BigNumber", precision: 40 });
export type BN = BigNumber;

/**
 * The exact binary value of a double as a BigNumber (to 40 digits). M.bignumber(x) would go through the
 * shortest decimal string, which differs from the double by up to half an ulp: enough to spoil a
 * reference where inputs nearly cancel (e.g. scores 1e300 and 1e300 − 1e284).
 */
export function bn(x: number | string): BN {
  if (typeof x === "string" || x === 0 || !Number.isFinite(x)) return M.bignumber(x);
  let m = x;
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) > 2 ** 53) {
    m /= 2;
    e++;
  }
  return M.bignumber(m).times(M.bignumber(2).pow(e));
}

export function log1pBN(t: BN): BN {
  if (t.abs().lt(1e-6)) {
    // Σ (−1)^{k+1} t^k / k; |t|^8 < 1e-48 is below 40 digits
    let s = bn(0);
    let p = t;
    for (let k = 1; k <= 8; k++) {
      s = k % 2 === 1 ? s.plus(p.div(k)) : s.minus(p.div(k));
      p = p.times(t);
    }
    return s;
  }
  return t.plus(1).ln();
}

/** softplus(z) = max(z, 0) + log1p(e^{−|z|}) in BigNumber arithmetic. */
export function softplusBN(z: number): BN {
  const Z = bn(z);
  const l = log1pBN(Z.abs().neg().exp());
  return z > 0 ? Z.plus(l) : l;
}

/** σ(z) = 1/(1 + e^{−z}), on the side where e^{·} cannot overflow. */
export function sigmoidBN(z: number): BN {
  const e = bn(z).abs().neg().exp();
  return z >= 0 ? bn(1).div(e.plus(1)) : e.div(e.plus(1));
}

/** σ(z)(1 − σ(z)) = e^{−|z|}/(1 + e^{−|z|})². */
export function sigmoidPrimeBN(z: number): BN {
  const e = bn(z).abs().neg().exp();
  const d = e.plus(1);
  return e.div(d.times(d));
}

/** (1 − y)·softplus(z) + y·softplus(−z) in BigNumber (y as the exact binary value of the double). */
export function logisticLossBN(z: number, y: number): BN {
  const Y = bn(y);
  return bn(1).minus(Y).times(softplusBN(z)).plus(Y.times(softplusBN(-z)));
}

/** Relative error of a double against a BigNumber reference (absolute when the reference is 0). */
export function relErr(x: number, ref: BN): number {
  if (ref.isZero()) return Math.abs(x);
  return bn(x).minus(ref).div(ref).abs().toNumber();
}
