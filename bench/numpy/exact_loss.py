#!/usr/bin/env python3
"""NumPy baseline for the exact Mixup loss (benchmark reference; not a dependency of the product).

    python3 bench/numpy/exact_loss.py SPEC.json
    python3 bench/numpy/exact_loss.py SPEC.json --nodes N1,N2,... [--repeat r]
    python3 bench/numpy/exact_loss.py --selftest

SPEC.json = {"X": [[...]], "y": [...] or [[...]] (softmax), "model": {model JSON as the CLI reads it},
             "alpha": a, "beta": b, "nodes": N, "repeat": r, "pairs": "all" (default) | "distinct"}

L_mix = (1/n^2) sum_{i,j} sum_k w_k l(f(lam_k x_i + (1-lam_k) x_j), lam_k y_i + (1-lam_k) y_j)
with the fixed N-node Gauss-Jacobi rule for Beta(alpha, beta) (scipy.special.roots_jacobi(N, beta-1,
alpha-1) mapped to [0, 1], weights normalised to 1). Vectorised over pairs and nodes in blocks of rows
(each block's largest array stays under ~32 MB; peak RSS ~0.25 GB at n = 2000). The first layer is applied once
(z = X theta^T + b, or U = X W^T + b) and the pre-activations are mixed, u = U_j + lam (U_i - U_j),
which is exact because they are affine in lambda. All loss families and activations are supported.

Prints one JSON line: {"value", "seconds" (best of `repeat`, computation only: rule + loss, no JSON
parsing), "pairNodeEvals" (n^2 N, or n(n-1) N for "distinct"), "threads"}. With --nodes (overriding the
spec's "nodes" and, with --repeat, its "repeat"): one such line per rule size, in order, so that one spec
file serves a sequence of rule sizes (bench/run.ts's search for the rule size of a given accuracy).
"""
import json
import os
import sys
import time

import numpy as np
from scipy.special import roots_jacobi

BLOCK_BYTES = 32 * 2 ** 20     # per-block array size: 32 MB was fastest here (8/32/64/256 MB tried)


# ----------------------------------------------------------------------------------------------------------
# model

class Net:
    def __init__(self, model):
        self.loss = model["loss"]
        if model["kind"] == "linear":
            th = np.atleast_2d(np.asarray(model["theta"], dtype=float))       # K x d
            self.A = th
            bias = model.get("bias")
            self.a = (np.zeros(th.shape[0]) if bias is None
                      else np.broadcast_to(np.asarray(bias, dtype=float), (th.shape[0],)).copy())
            self.act = None
        else:
            self.A = np.asarray(model["W"], dtype=float)                        # m x d
            m = self.A.shape[0]
            self.a = np.asarray(model["b"], dtype=float) if "b" in model else np.zeros(m)
            self.V = np.atleast_2d(np.asarray(model["V"] if "V" in model else model["v"], dtype=float))
            c = model.get("c")
            self.c = (np.zeros(self.V.shape[0]) if c is None
                      else np.broadcast_to(np.asarray(c, dtype=float), (self.V.shape[0],)).copy())
            self.act = model["activation"]
        self.K = self.A.shape[0] if self.act is None else self.V.shape[0]

    def first_layer(self, X):
        return X @ self.A.T + self.a                                            # n x p

    def head(self, U):
        """U: (..., p) mixed pre-activations, modified in place; returns scores (..., K)."""
        if self.act is None:
            return U
        if self.act == "relu":
            np.maximum(U, 0.0, out=U)
        elif self.act == "softplus":
            np.logaddexp(0.0, U, out=U)
        elif self.act == "tanh":
            np.tanh(U, out=U)
        else:
            raise ValueError(self.act)
        Z = U @ self.V.T
        Z += self.c
        return Z


def loss_values(name, Z, Y):
    """Z: (..., K) scores, Y: (..., K) labels (K = 1 for the scalar families); returns (...)."""
    if name == "softmax":
        M = Z.max(axis=-1, keepdims=True)
        lse = np.log(np.exp(Z - M).sum(axis=-1)) + M[..., 0]
        return lse - np.einsum("...k,...k->...", Y, Z)
    z, y = Z[..., 0], Y[..., 0]
    if name == "logistic":
        L = np.logaddexp(0.0, z)
        L -= y * z
        return L
    if name == "squared":
        return 0.5 * z * z - y * z
    if name == "poisson":
        return np.exp(z) - y * z
    raise ValueError(name)


def beta_rule(alpha, beta, N):
    x, w = roots_jacobi(N, beta - 1.0, alpha - 1.0)     # weight (1-x)^(beta-1) (1+x)^(alpha-1)
    lam = (1.0 + x) / 2.0                                # (1+x) ~ lam^(alpha-1), (1-x) ~ (1-lam)^(beta-1)
    return lam, w / w.sum()


def exact_mixup_loss(X, Y, net, alpha, beta, N, pairs="all"):
    lam, w = beta_rule(alpha, beta, N)
    n = X.shape[0]
    U = net.first_layer(X)                               # n x p, computed once
    p = U.shape[1]
    Y = Y.reshape(n, -1)                                 # n x K
    K = Y.shape[1]
    width = max(p, K)
    per_row = n * N * width * 8                          # bytes of one row's (n, N, width) block
    rows = max(1, BLOCK_BYTES // per_row)
    cols = n if rows > 1 else max(1, BLOCK_BYTES // (N * width * 8))
    total = 0.0
    lam4 = lam[None, None, :, None]
    for i0 in range(0, n, rows):
        I = slice(i0, min(n, i0 + rows))
        for j0 in range(0, n, cols):
            J = slice(j0, min(n, j0 + cols))
            # mixed pre-activations / scores: U_j + lam (U_i - U_j), shape (ri, cj, N, p)
            D = U[I, None, :] - U[None, J, :]
            Um = D[:, :, None, :] * lam4
            Um += U[None, J, None, :]
            Z = net.head(Um)
            DY = Y[I, None, :] - Y[None, J, :]
            Ym = DY[:, :, None, :] * lam4
            Ym += Y[None, J, None, :]
            L = loss_values(net.loss, Z, Ym)            # (ri, cj, N)
            per_pair = L @ w                             # (ri, cj)
            if pairs == "distinct":
                ii = np.arange(I.start, I.stop)[:, None]
                jj = np.arange(J.start, J.stop)[None, :]
                per_pair = np.where(ii == jj, 0.0, per_pair)
            total += per_pair.sum()
    count = n * n if pairs == "all" else n * (n - 1)
    return total / count, count * N


def thread_info():
    info = {"cpus": os.cpu_count(), "elementwise": "numpy ufuncs (single thread)"}
    env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
           if k in os.environ}
    if env:
        info["env"] = env
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{"api": d.get("internal_api"), "threads": d.get("num_threads")} for d in threadpool_info()]
    except ImportError:
        try:
            cfg = np.__config__.CONFIG["Build Dependencies"]["blas"]
            info["blas"] = "%s %s (matmul; threads per OpenBLAS defaults/env)" % (cfg.get("name"), cfg.get("version"))
        except Exception:
            info["blas"] = "unknown"
    return info


def run_spec(spec):
    X = np.asarray(spec["X"], dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    Y = np.asarray(spec["y"], dtype=float)
    net = Net(spec["model"])
    alpha, beta = float(spec["alpha"]), float(spec["beta"])
    N, repeat = int(spec["nodes"]), int(spec.get("repeat", 1))
    pairs = spec.get("pairs", "all")
    best, value, evals = float("inf"), None, None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        value, evals = exact_mixup_loss(X, Y, net, alpha, beta, N, pairs)
        best = min(best, time.perf_counter() - t0)
    return {"value": float(value), "seconds": best, "pairNodeEvals": int(evals), "threads": thread_info()}


# ----------------------------------------------------------------------------------------------------------
# self-test: vectorised sum against a direct triple loop on random specs (n = 5)

def direct_loop(X, Y, model, alpha, beta, N, pairs="all"):
    lam, w = beta_rule(alpha, beta, N)
    n = X.shape[0]
    Y = Y.reshape(n, -1)
    kind, loss = model["kind"], model["loss"]

    def f(x):
        if kind == "linear":
            th = np.atleast_2d(np.asarray(model["theta"], float))
            return th @ x + np.asarray(model.get("bias", 0.0), float)
        W = np.asarray(model["W"], float)
        u = W @ x + np.asarray(model.get("b", 0.0), float)
        h = {"relu": lambda t: np.maximum(t, 0), "softplus": lambda t: np.log1p(np.exp(t)),
             "tanh": np.tanh}[model["activation"]](u)
        V = np.atleast_2d(np.asarray(model["V"] if "V" in model else model["v"], float))
        return V @ h + np.asarray(model.get("c", 0.0), float)

    total, count = 0.0, 0
    for i in range(n):
        for j in range(n):
            if pairs == "distinct" and i == j:
                continue
            count += 1
            for lk, wk in zip(lam, w):
                z = np.atleast_1d(f(lk * X[i] + (1 - lk) * X[j]))
                y = lk * Y[i] + (1 - lk) * Y[j]
                if loss == "softmax":
                    l = np.log(np.sum(np.exp(z))) - y @ z
                elif loss == "logistic":
                    l = np.log1p(np.exp(z[0])) - y[0] * z[0]
                elif loss == "squared":
                    l = z[0] ** 2 / 2 - y[0] * z[0]
                else:
                    l = np.exp(z[0]) - y[0] * z[0]
                total += wk * l
    return total / count


def selftest():
    rng = np.random.default_rng(7)
    n, d, m, N = 5, 3, 6, 24
    worst = 0.0
    X = rng.normal(size=(n, d))
    configs = []
    for loss in ("logistic", "squared", "poisson"):
        y = (rng.integers(0, 2, n).astype(float) if loss == "logistic"
             else rng.integers(0, 4, n).astype(float) if loss == "poisson" else rng.normal(size=n))
        configs.append((y, {"kind": "linear", "theta": (0.5 * rng.normal(size=d)).tolist(),
                            "bias": 0.3, "loss": loss}))
        for act in ("relu", "softplus", "tanh"):
            configs.append((y, {"kind": "relu2", "W": rng.normal(size=(m, d)).tolist(),
                                "b": rng.normal(size=m).tolist(), "v": (0.4 * rng.normal(size=m)).tolist(),
                                "c": -0.2, "activation": act, "loss": loss}))
    Ysoft = rng.dirichlet(np.ones(3), size=n)
    configs.append((Ysoft, {"kind": "linear", "theta": rng.normal(size=(3, d)).tolist(),
                            "bias": [0.1, -0.2, 0.3], "loss": "softmax"}))
    configs.append((np.eye(3)[rng.integers(0, 3, n)], {"kind": "relu2", "W": rng.normal(size=(m, d)).tolist(),
                                                       "V": rng.normal(size=(3, m)).tolist(), "c": [0.0, 0.5, -0.5],
                                                       "activation": "relu", "loss": "softmax"}))
    for y, model in configs:
        for (a, b), pairs in (((0.2, 0.2), "all"), ((2.0, 0.5), "all"), ((1.0, 1.0), "distinct")):
            v, _ = exact_mixup_loss(X, np.asarray(y, float), Net(model), a, b, N, pairs)
            ref = direct_loop(X, np.asarray(y, float), model, a, b, N, pairs)
            err = abs(v - ref) / max(1.0, abs(ref))
            worst = max(worst, err)
            tag = model["kind"] + ("/" + model["activation"] if "activation" in model else "")
            print("%-16s %-9s a=%-4g b=%-4g %-8s vectorised=%.15f loop=%.15f rel.err=%.1e"
                  % (tag, model["loss"], a, b, pairs, v, ref, err))
            if not err < 1e-12:
                sys.exit("SELFTEST FAILED")
    # a small block size forces the row/column chunking paths
    global BLOCK_BYTES
    saved, BLOCK_BYTES = BLOCK_BYTES, 3000
    y, model = configs[1]
    v, _ = exact_mixup_loss(X, np.asarray(y, float), Net(model), 0.5, 0.5, N)
    BLOCK_BYTES = saved
    ref = direct_loop(X, np.asarray(y, float), model, 0.5, 0.5, N)
    print("chunked (tiny blocks): %.15f loop=%.15f" % (v, ref))
    if not abs(v - ref) < 1e-12:
        sys.exit("SELFTEST FAILED (chunking)")
    print("selftest ok, worst relative error %.1e" % worst)


def main(argv):
    if argv == ["--selftest"]:
        selftest()
        return
    usage = "usage: exact_loss.py SPEC.json [--nodes N1,N2,... [--repeat r]] | --selftest"
    if len(argv) not in (1, 3, 5):
        sys.exit(usage)
    with open(argv[0]) as fh:
        spec = json.load(fh)
    opts = dict(zip(argv[1::2], argv[2::2]))
    if set(opts) - {"--nodes", "--repeat"} or ("--repeat" in opts and "--nodes" not in opts):
        sys.exit(usage)
    if "--repeat" in opts:
        spec["repeat"] = int(opts["--repeat"])
    for N in ([int(t) for t in opts["--nodes"].split(",")] if "--nodes" in opts else [spec["nodes"]]):
        spec["nodes"] = N
        print(json.dumps(run_spec(spec)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
