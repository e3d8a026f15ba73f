/**
 * Minimal ambient types for the parts of jstat used here (no @types/jstat is published/installed).
 * jstat's default export is the jStat function object; only the Beta distribution is declared.
 */
declare module "jstat" {
  interface JStatBeta {
    pdf(x: number, alpha: number, beta: number): number;
    cdf(x: number, alpha: number, beta: number): number;
    mean(alpha: number, beta: number): number;
    variance(alpha: number, beta: number): number;
  }
  interface JStatStatic {
    beta: JStatBeta;
    /** regularised incomplete beta I_x(a, b) (continued fraction, ~1e-7 to 1e-10 accuracy) */
    ibeta(x: number, a: number, b: number): number;
  }
  const jStat: JStatStatic;
  export default jStat;
}
