import type { Dataset } from "../core/dataset.js";
import type { Family } from "../losses/types.js";
import { firstLayerWidth, headFromPreact, outputs, preactivations } from "../models/index.js";
import type { Model } from "../models/types.js";

/**
 * The loss at a mixed point from pre-activations computed once (the first layer is linear, so
 * u(λx_i + (1−λ)x_j) = λu_i + (1−λ)u_j): l(f(x̃_ij(λ)), y_j + λY·(y_i − y_j)). Used by the Monte Carlo
 * and fixed-rule estimators; scratch buffers are kept so the per-sample call allocates nothing.
 */
export class MixedLoss {
  private readonly p: number;
  private readonly K: number;
  private readonly U: Float64Array;
  private readonly Y: Float64Array;
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private readonly yv: Float64Array;

  constructor(
    ds: Dataset,
    private readonly model: Model,
    private readonly family: Family,
  ) {
    this.p = firstLayerWidth(model);
    this.K = outputs(model);
    this.U = preactivations(model, ds.X, ds.n);
    this.Y = ds.y;
    this.u = new Float64Array(this.p);
    this.z = new Float64Array(this.K);
    this.yv = new Float64Array(this.K);
  }

  /** l at λ along pair (i, j), with the label mixed at lamY (= λ for eq. (1), 1 for the label-free form). */
  at(i: number, j: number, lam: number, lamY: number): number {
    const { p, K, U, Y, u, z } = this;
    for (let r = 0; r < p; r++) u[r] = U[j * p + r] + lam * (U[i * p + r] - U[j * p + r]);
    headFromPreact(this.model, u, 0, z, 0);
    const family = this.family;
    if (family.vector) {
      const yv = this.yv;
      for (let k = 0; k < K; k++) yv[k] = Y[j * K + k] + lamY * (Y[i * K + k] - Y[j * K + k]);
      return family.loss(z, 0, K, yv, 0);
    }
    return family.loss(z[0], Y[j] + lamY * (Y[i] - Y[j]));
  }
}
