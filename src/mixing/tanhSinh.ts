/**
 * ∫₀¹ g(λ, 1 − λ) dλ by tanh-sinh (double-exponential) quadrature: λ = (1 + tanh(π/2·sinh t))/2, step h over
 * t ∈ [−6, 6], halving h until two estimates agree to 1e-12 relative (docs/theory.md §4.1: the reference for
 * E_D̃[(1−λ)²/λ²], whose integrand is singular at λ = 0). The double-exponential decay of the weights at both ends
 * absorbs integrable end singularities λ^{a} with a > −1 + (a few hundredths): the nodes stop at λ ≈ 1e-275, so the
 * mass left out is ≈ 1e-275^{a+1}/(a+1). g receives λ and 1 − λ separately, each formed without cancellation.
 * It shares no nodes, weights or closed forms with the Gauss–Jacobi rules of mixing/jacobi.ts.
 */
export function tanhSinh(f: (lam: number, oneMinus: number) => number): number {
  let prev = NaN;
  for (let h = 1 / 4; h > 1 / 512; h /= 2) {
    let s = 0;
    for (let t = -6; t <= 6; t += h) {
      const u = (Math.PI / 2) * Math.sinh(t);
      const e = Math.exp(-2 * Math.abs(u));
      // λ and 1 − λ from e = exp(−2|u|): one of them is e/(1 + e), computed without cancellation
      const small = e / (1 + e);
      const lam = u < 0 ? small : 1 - small;
      const one = u < 0 ? 1 - small : small;
      const w = ((Math.PI / 2) * Math.cosh(t) * 2 * e) / ((1 + e) * (1 + e)); // dλ/dt
      if (lam > 0 && one > 0) s += h * w * f(lam, one);
    }
    if (Math.abs(s - prev) <= 1e-12 * Math.abs(s)) return s;
    prev = s;
  }
  return prev;
}
