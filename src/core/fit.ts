/**
 * Least-squares slope of y on x (both centred first, so large offsets do not cancel). Used for the
 * log-log rates of the Taylor remainder and the α limits.
 */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  let num = 0;
  let den = 0;
  for (let k = 0; k < n; k++) {
    num += (x[k] - mx) * (y[k] - my);
    den += (x[k] - mx) * (x[k] - mx);
  }
  return num / den;
}

/** Least-squares slope of log|y| against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  return leastSquaresSlope(x.map(Math.log), y.map((v) => Math.log(Math.abs(v))));
}

/** How many times consecutive values change sign: a log|y| slope across a zero of y is not a rate. */
export function signChanges(values: readonly number[]): number {
  let c = 0;
  for (let k = 1; k < values.length; k++) if (Math.sign(values[k]) !== Math.sign(values[k - 1])) c++;
  return c;
}
