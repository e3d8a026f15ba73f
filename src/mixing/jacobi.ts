/**
 * Gauss–Jacobi rules for the Beta(a, b) weight on [0,1] (docs/theory.md §6.1: the Beta weight is
 * singular at an end point when a or b < 1, so the rule must carry the weight).
 *
 * Method (Golub–Welsch, refined):
 *  1. Recurrence. The monic orthogonal polynomials of λ^{a−1}(1−λ)^{b−1} on [0,1] satisfy
 *     p_{k+1} = (λ − α_k) p_k − β_k p_{k−1} with α_k = ζ_{2k} + ζ_{2k+1}, β_k = ζ_{2k−1} ζ_{2k}, where
 *     ζ_0 = 0, ζ_1 = p_1, ζ_j = (1 − p_{j−1}) p_j and p_j are the canonical moments of Beta(a, b):
 *     p_{2k−1} = (a+k−1)/(a+b+2k−2), p_{2k} = k/(a+b+2k−1) (Dette & Studden, *The Theory of Canonical
 *     Moments*, 1997). Every ζ_j is a product of positive ratios, so there is no 0/0 at a+b = 1 or 2
 *     (the classical Jacobi (α, β) = (b−1, a−1) formulas have one at α+β = 0 or −1) and each entry has
 *     full relative accuracy.
 *  2. Eigen-solve. The Jacobi matrix J (diagonal α_k, off-diagonal √β_k) is diagonalised by implicit
 *     QL with Wilkinson-like shifts (tqli), tracking only the first row of the eigenvector matrix:
 *     nodes = eigenvalues, QL weights = (first components)².
 *  3. Refinement. QL nodes are accurate to ~ε absolutely, which is poor *relatively* for the tiny nodes
 *     next to a singular end point (λ₁ ≈ 1e-6 for a = 0.05, N = 200). Since J = L D Lᵀ with
 *     D = diag(ζ_{2k+1}) and (L)_{k+1,k}² D_k = ζ_{2k+2}, the differential stationary qd transform
 *     (dstqds) counts the eigenvalues below τ in a mixed relatively stable way; bisection on that count
 *     from the QL bracket gives every node below 1/2 to a few ulps *relative*. Nodes above 1/2 are taken
 *     as 1 − (node of the mirrored rule Beta(b, a)), so both x and y = 1 − x are relatively accurate.
 *     (Newton steps on the three-term recurrence were the other option; near a singular end point the
 *     recurrence cancels, so the inertia count is the more accurate refinement, and it cannot jump root.)
 *  4. Weights. At each refined node τ the squared first component of the eigenvector, computed from the
 *     twisted factorisation of L D Lᵀ − τI (the MRRR vector, Dhillon & Parlett 2004): products of
 *     relatively accurate pivots, so even the 1e-40 tail weights of Beta(50, 50) are relatively accurate.
 *     Measured against 60-digit mpmath (N = 200): weights ≤ 4e-14 relative, where QL's (first components)²
 *     are only absolutely accurate (2e-12 relative for the big weights, 1e9 for the tiny ones) and the
 *     Christoffel sum 1/Σ p̂_j(τ)² over the three-term recurrence loses 1e-12 next to a singular end point.
 *     Finally normalised to sum 1.
 */
import { InputError } from "../core/errors.js";
import { fsum } from "../core/sum.js";
import type { JacobiRule } from "./rule.js";
import { UNIT_ROUNDOFF as EPS } from "../core/constants.js";

/** QL sweeps allowed per eigenvalue before giving up (typically 1–3 are needed). */
const MAX_QL_ITER = 60;
/** Rules kept in the cache; the oldest entry is dropped beyond this (callers sweep many (a, b)). */
const CACHE_LIMIT = 512;

/** Pivots smaller than this are replaced by −TINY_PIVOT: keeps s = ζ·s/pivot finite (ζ, |s| ≤ ~1). */
const TINY_PIVOT = 2 ** -960;

const cache = new Map<string, JacobiRule>();

/**
 * The N-node Gauss rule for E_{λ~Beta(a,b)}[g(λ)] on [0,1]: nodes x ascending, weights w summing to 1,
 * exact for polynomials of degree ≤ 2N−1; y[k] = 1 − x[k] to full relative accuracy.
 * Valid for N ≥ 1 and any a, b > 0 (tested 0.05–500, N ≤ 200).
 * The result is cached by (N, a, b) and SHARED: callers must not mutate x, w or y.
 */
export function gaussJacobi(N: number, a: number, b: number): JacobiRule {
  checkArgs("gaussJacobi", N, a, b);
  const key = `${N},${a},${b}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const rule = buildRule(N, a, b);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, rule);
  return rule;
}

/** N-node Gauss–Legendre rule on [0,1] (uniform law), weights summing to 1: gaussJacobi(N, 1, 1). */
export function gaussLegendre(N: number): JacobiRule {
  return gaussJacobi(N, 1, 1);
}

/**
 * Monic three-term recurrence of the Beta(a, b) orthogonal polynomials on [0,1]:
 * p_{k+1}(λ) = (λ − alpha[k]) p_k(λ) − beta[k] p_{k−1}(λ), beta[0] = 1 (the total mass, normalised).
 * Built from the canonical-moment ζ's (see the file comment), so no 0/0 for any a, b > 0.
 */
export function jacobiRecurrence(N: number, a: number, b: number): { alpha: Float64Array; beta: Float64Array } {
  checkArgs("jacobiRecurrence", N, a, b);
  const z = zetas(N, a, b);
  const alpha = new Float64Array(N);
  const beta = new Float64Array(N);
  beta[0] = 1;
  for (let k = 0; k < N; k++) {
    alpha[k] = z[2 * k] + z[2 * k + 1];
    if (k > 0) beta[k] = z[2 * k - 1] * z[2 * k];
  }
  return { alpha, beta };
}

/** Plain Golub–Welsch (QL eigenvalues, squared first components), no refinement; for tests/diagnostics. */
export function golubWelsch(N: number, a: number, b: number): { x: Float64Array; w: Float64Array } {
  checkArgs("golubWelsch", N, a, b);
  const z = zetas(N, a, b);
  const { d, v } = qlSolve(N, z);
  const order = ascendingOrder(d);
  const x = new Float64Array(N);
  const w = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    x[k] = d[order[k]];
    w[k] = v[order[k]] * v[order[k]];
  }
  return { x, w };
}

function checkArgs(where: string, N: number, a: number, b: number): void {
  if (!Number.isInteger(N) || N < 1) throw new InputError(where, `${where}: N = ${N} must be an integer ≥ 1`);
  if (!(a > 0) || !Number.isFinite(a)) throw new InputError(where, `${where}: a = ${a} must be finite and > 0`);
  if (!(b > 0) || !Number.isFinite(b)) throw new InputError(where, `${where}: b = ${b} must be finite and > 0`);
}

/**
 * ζ_0..ζ_{2N} of Beta(a, b) (file comment, step 1). z[0] = 0; z[1] = a/(a+b); for k ≥ 1
 * ζ_{2k} = q_{2k−1} p_{2k} = (b+k−1)/(s+2k−2) · k/(s+2k−1),
 * ζ_{2k+1} = q_{2k} p_{2k+1} = (s+k−1)/(s+2k−1) · (a+k)/(s+2k), with s = a + b.
 * All denominators are ≥ s > 0, all factors positive.
 */
function zetas(N: number, a: number, b: number): Float64Array {
  const s = a + b;
  const z = new Float64Array(2 * N + 1);
  z[1] = a / s;
  // the integer parts are summed first: s + 2k − 2 evaluated left to right is (s + 2) − 2 = 0 for s < 2.2e-16
  for (let k = 1; k <= N; k++) {
    z[2 * k] = ((b + (k - 1)) / (s + (2 * k - 2))) * (k / (s + (2 * k - 1)));
    if (k < N) z[2 * k + 1] = ((s + (k - 1)) / (s + (2 * k - 1))) * ((a + k) / (s + 2 * k));
  }
  return z;
}

/**
 * Implicit QL on the symmetric tridiagonal Jacobi matrix (Numerical Recipes' tqli), tracking only the
 * first row of the eigenvector matrix. Returns eigenvalues d (unordered) and first components v.
 * Throws if an eigenvalue needs more than MAX_QL_ITER sweeps (never seen for N ≤ 1000).
 */
function qlSolve(N: number, z: Float64Array): { d: Float64Array; v: Float64Array } {
  const d = new Float64Array(N);
  const e = new Float64Array(N); // e[k] couples k and k+1; e[N−1] = 0
  const v = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    d[k] = z[2 * k] + z[2 * k + 1];
    if (k + 1 < N) e[k] = Math.sqrt(z[2 * k + 1] * z[2 * k + 2]);
  }
  v[0] = 1;
  // QL only brackets the nodes (they are refined relatively by bisection afterwards), so an off-diagonal
  // below ε·‖J‖ also splits the matrix: for shapes ≲ 1e-16 the smallest eigenvalue is below ε·‖J‖ and the
  // relative test alone (|e| ≤ ε(|d_m| + |d_{m+1}|)) never held there
  let anorm = 0;
  for (let k = 0; k < N; k++) anorm = Math.max(anorm, Math.abs(d[k]) + Math.abs(e[k]) + (k > 0 ? Math.abs(e[k - 1]) : 0));
  const small = EPS * anorm;
  for (let l = 0; l < N; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < N - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * dd || Math.abs(e[m]) <= small) break;
      }
      if (m === l) break;
      if (++iter > MAX_QL_ITER) {
        throw new Error(`gaussJacobi: implicit QL did not converge for eigenvalue ${l} of ${N} after ${MAX_QL_ITER} sweeps`);
      }
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = pythag(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflated = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i];
        const bb = c * e[i];
        r = pythag(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // underflow: the matrix split at i+1; restart the sweep on the smaller block
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * bb;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - bb;
        const t = v[i + 1];
        v[i + 1] = s * v[i] + c * t;
        v[i] = c * v[i] - s * t;
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return { d, v };
}

/** √(p² + q²) without overflow or the cost of Math.hypot's generality. */
function pythag(p: number, q: number): number {
  const ap = Math.abs(p);
  const aq = Math.abs(q);
  if (ap > aq) {
    const t = aq / ap;
    return ap * Math.sqrt(1 + t * t);
  }
  if (aq === 0) return 0;
  const t = ap / aq;
  return aq * Math.sqrt(1 + t * t);
}

function ascendingOrder(d: Float64Array): Int32Array {
  const idx = Array.from({ length: d.length }, (_, i) => i);
  idx.sort((i, j) => d[i] - d[j]);
  return Int32Array.from(idx);
}

/**
 * Number of eigenvalues of J = L D Lᵀ below τ, by dstqds on L D Lᵀ − τI = L₊D₊L₊ᵀ
 * (Sylvester inertia: count of negative pivots D₊). With D_k = ζ_{2k+1} and L_k² D_k = ζ_{2k+2},
 * s₀ = −τ, D₊_k = ζ_{2k+1} + s_k, s_{k+1} = ζ_{2k+2} s_k / D₊_k − τ. Mixed relatively stable
 * (Dhillon & Parlett 2004), hence relative accuracy for tiny eigenvalues.
 */
function countBelow(N: number, z: Float64Array, tau: number): number {
  let s = -tau;
  let count = 0;
  for (let k = 0; k < N; k++) {
    let dp = z[2 * k + 1] + s;
    if (Math.abs(dp) < TINY_PIVOT) dp = -TINY_PIVOT; // a (near-)zero pivot counts as negative (LAPACK's pivmin)
    if (dp < 0) count++;
    if (k + 1 < N) s = (z[2 * k + 2] * s) / dp - tau;
  }
  return count;
}

/** Eigenvalue number k (ascending) of J by bisection on countBelow, starting from the QL estimate. */
function refineNode(N: number, z: Float64Array, k: number, guess: number): number {
  // QL is backward stable: |error| ≲ a few ε·‖J‖ with ‖J‖ ≤ 1; start there and widen if the counts disagree
  let delta = 8 * EPS;
  let lo = Math.max(0, guess - delta);
  let hi = guess + delta;
  // widen until count(lo) ≤ k < count(hi); count(0) = 0 because J is positive definite
  while (lo > 0 && countBelow(N, z, lo) > k) {
    delta *= 4;
    lo = Math.max(0, guess - delta);
  }
  delta = 8 * EPS;
  while (countBelow(N, z, hi) <= k) {
    delta *= 4;
    hi = guess + delta;
  }
  for (;;) {
    const mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi) break;
    if (countBelow(N, z, mid) > k) hi = mid;
    else lo = mid;
  }
  return lo + 0.5 * (hi - lo);
}

/**
 * Gauss weight at an (accurate) node τ as the squared first component of the normalised eigenvector,
 * computed from the twisted factorisation of L D Lᵀ − τI (Dhillon & Parlett 2004, the MRRR vector):
 * top-down dstqds gives L₊ (s_{i+1} = ζ_{2i+2} s_i/D₊_i − τ), bottom-up dqds gives U₋
 * (p_i = ζ_{2i+1} p_{i+1}/D₋_{i+1} − τ), the twist r minimises |γ_r| = |s_r + p_r + τ|, and
 * z_r = 1, z_i = −L₊_i z_{i+1} (i < r), z_{i+1} = −U₋_i z_i (i ≥ r). Both transforms are mixed relatively
 * stable and z is built from products, so even tiny weights (1e-40) keep their relative accuracy; a three-term
 * recurrence (Christoffel sum) loses ~N^{1−2a}·ε near a singular end point. `work` holds 3N scratch values.
 */
function twistedWeight(N: number, z: Float64Array, tau: number, work: Float64Array): number {
  if (N === 1) return 1;
  const s = work.subarray(0, N); // s_i of the top-down transform
  const lp = work.subarray(N, 2 * N); // L₊_i
  const um = work.subarray(2 * N, 3 * N); // U₋_i
  s[0] = -tau;
  for (let i = 0; i + 1 < N; i++) {
    let dp = z[2 * i + 1] + s[i];
    if (Math.abs(dp) < TINY_PIVOT) dp = -TINY_PIVOT;
    const e = Math.sqrt(z[2 * i + 1] * z[2 * i + 2]);
    lp[i] = e / dp;
    s[i + 1] = (z[2 * i + 2] * s[i]) / dp - tau;
  }
  // bottom-up: p runs from N−1 to 0; track γ_r = s_r + p_r + τ on the fly
  let p = z[2 * N - 1] - tau;
  let r = N - 1;
  let best = Math.abs(s[N - 1] + p + tau);
  for (let i = N - 2; i >= 0; i--) {
    let dm = z[2 * i + 2] + p;
    if (Math.abs(dm) < TINY_PIVOT) dm = -TINY_PIVOT;
    const e = Math.sqrt(z[2 * i + 1] * z[2 * i + 2]);
    um[i] = e / dm;
    p = (z[2 * i + 1] * p) / dm - tau;
    const g = Math.abs(s[i] + p + tau);
    if (g < best) {
      best = g;
      r = i;
    }
  }
  // eigenvector with z_r = 1: only z_0 and Σ z_i² are needed
  let zi = 1;
  let sum = 1;
  for (let i = r - 1; i >= 0; i--) {
    zi = -lp[i] * zi;
    sum += zi * zi;
  }
  const z0 = r === 0 ? 1 : zi;
  zi = 1;
  for (let i = r; i + 1 < N; i++) {
    zi = -um[i] * zi;
    sum += zi * zi;
  }
  return (z0 * z0) / sum;
}

/** Refined nodes and weights of Beta(a, b), valid for the nodes whose QL estimate is < 1/2 + 1e-6. */
interface HalfRule {
  readonly guess: Float64Array; // QL nodes, ascending
  readonly x: Float64Array; // refined nodes (NaN where not refined)
  readonly w: Float64Array; // twisted-factorisation weights (NaN where not refined)
}

function lowerHalf(N: number, a: number, b: number): HalfRule {
  const z = zetas(N, a, b);
  const { d } = qlSolve(N, z);
  const guess = Float64Array.from(d).sort();
  const x = new Float64Array(N).fill(NaN);
  const w = new Float64Array(N).fill(NaN);
  const work = new Float64Array(3 * N);
  for (let k = 0; k < N && guess[k] < 0.5 + 1e-6; k++) {
    x[k] = refineNode(N, z, k, guess[k]);
    w[k] = twistedWeight(N, z, x[k], work);
  }
  return { guess, x, w };
}

function buildRule(N: number, a: number, b: number): JacobiRule {
  const lo = lowerHalf(N, a, b);
  const hi = a === b ? lo : lowerHalf(N, b, a); // Beta(b, a) is the mirror image λ ↦ 1 − λ
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  const w = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    if (lo.guess[k] <= 0.5) {
      x[k] = lo.x[k];
      y[k] = 1 - x[k];
      w[k] = lo.w[k];
    } else {
      const m = N - 1 - k;
      y[k] = hi.x[m];
      x[k] = 1 - y[k];
      w[k] = hi.w[m];
    }
  }
  for (let k = 0; k < N; k++) {
    if (!(x[k] >= 0 && x[k] <= 1 && y[k] >= 0 && w[k] >= 0)) throw new Error(`gaussJacobi(${N}, ${a}, ${b}): node ${k} not refined`);
  }
  // the weights sum to 1 up to rounding; normalise so that Σw = 1 to the last bit
  const total = fsum(w);
  for (let k = 0; k < N; k++) w[k] /= total;
  return Object.freeze({ x, w, y });
}
