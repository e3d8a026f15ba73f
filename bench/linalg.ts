/**
 * `npm run bench` (linear algebra part, docs/theory.md §4.7): the rank and bases of a data matrix by our
 * typed-array kernel (`dataSvd`: pivoted QR, then one-sided Jacobi) against the straightforward baseline,
 * mathjs `eigs` of the d×d Gram matrix XᵀX (which also squares the singular values, so its small ones are
 * lost: the rank rule needs the SVD). Low-rank data n = 2d, rank d/4, d = 50, 100, 200.
 * Never run by the tests; numbers are for reading.
 */
import { eigs } from "mathjs";
import { Rng } from "../src/core/rng.js";
import { dataSvd } from "../src/linalg/dataSvd.js";

function lowRank(rng: Rng, n: number, d: number, r: number): Float64Array {
  const A = Float64Array.from({ length: n * r }, () => rng.normal());
  const B = Float64Array.from({ length: r * d }, () => rng.normal());
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < r; t++) for (let j = 0; j < d; j++) X[i * d + j] += A[i * r + t] * B[t * d + j];
  return X;
}

console.log("linear algebra: rank and bases of X (n = 2d, rank d/4); ours = dataSvd, baseline = mathjs eigs(XᵀX)");
for (const d of [50, 100, 200]) {
  const n = 2 * d;
  const X = lowRank(new Rng(d), n, d, Math.round(d / 4));
  let t = performance.now();
  const s = dataSvd(X, n, d);
  const ours = (performance.now() - t) / 1000;
  const G: number[][] = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
    let v = 0;
    for (let i = 0; i < n; i++) v += X[i * d + a] * X[i * d + b];
    return v;
  }));
  t = performance.now();
  const ev = eigs(G).values as unknown as number[];
  const base = (performance.now() - t) / 1000;
  // the Gram route's rank: eigenvalues above (σ_max·max(n,d)·ε)² lose the small ones to rounding of XᵀX
  const top = Math.max(...ev);
  const gramRank = ev.filter((v) => v > top * (Math.max(n, d) * Number.EPSILON) ** 2).length;
  console.log(
    `  d = ${String(d).padStart(3)}: ours ${ours.toFixed(3)} s (rank ${s.rank}, ${s.sweeps} sweeps), mathjs eigs ${base.toFixed(3)} s (rank by the same rule on σ² = ${gramRank}): ${(base / ours).toFixed(1)}× faster`,
  );
}
