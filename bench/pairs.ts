/**
 * `npm run bench` (part): the all-pairs path against two floors measured in the same run, at equal accuracy.
 *
 * 1. The ReLU net of bench/run.ts (n = 1000, d = 50, m = 32, α = β = 1, tol 1e-10): the exact loss on one
 *    thread against a fixed-rule floor with the same kink work. The floor is a plain loop written here
 *    (kinks sorted per pair, segment coefficients updated per kink, one Gauss–Kronrod rule per segment,
 *    no error estimate, no adaptivity); each segment gets the cheapest Kronrod rung that our acceptance
 *    test passes on it, chosen by an untimed oracle pass. It is what any method doing this segment work
 *    must spend at least; its value agrees with ours to the tolerance, which the run checks.
 * 2. `loss --json` (labelled loss, label-free rewrite, Taylor terms, adversarial summary) against the
 *    library's `mixupLoss` on the same net, both end to end in this process's terms: the CLI as a child
 *    process on files written here, the library call timed in process (each best of 2).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeDataset, type Dataset } from "../src/core/dataset.js";
import { Rng } from "../src/core/rng.js";
import { family as familyOf } from "../src/losses/index.js";
import type { ScalarFamily } from "../src/losses/types.js";
import { KRONROD } from "../src/mixing/kronrod.js";
import { modelToJSON, preactivations, twoLayerModel } from "../src/models/index.js";
import type { TwoLayerModel } from "../src/models/types.js";
import { exactMixupLoss, mixupLoss } from "../src/mixup/index.js";
import { log1pExpNeg, logisticLossBar } from "../src/mixup/softplusTable.js";

const TOL = 1e-10;

/**
 * CPU seconds of this process (user + system) since `t0`: on a machine shared with other jobs the wall
 * time of a one-thread loop includes the time it waited for a core; the CPU time does not.
 */
function cpuSince(t0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

function problem(): { ds: Dataset; model: TwoLayerModel } {
  // the ReLU problem of bench/run.ts (same generator, same seed sequence)
  const rng = new Rng(2024);
  const skip = (n: number, d: number) => {
    const teacher = Float64Array.from({ length: d }, () => rng.normal() / Math.sqrt(d));
    for (let i = 0; i < n * d; i++) rng.normal();
    for (let i = 0; i < n; i++) rng.normal();
    return teacher;
  };
  skip(3000, 50);
  const n = 1000;
  const d = 50;
  const m = 32;
  const teacher = Float64Array.from({ length: d }, () => rng.normal() / Math.sqrt(d));
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n * d; i++) X[i] = rng.normal();
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += teacher[k] * X[i * d + k];
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  const W = Float64Array.from({ length: m * d }, () => rng.normal() / Math.sqrt(d));
  const v = Float64Array.from({ length: m }, () => rng.normal() / Math.sqrt(m));
  const model = twoLayerModel({ W, m, V: v, b: Float64Array.from({ length: m }, () => 0.1 * rng.normal()), loss: "logistic" });
  return { ds: makeDataset(X, y, n, d), model };
}

/**
 * One pass over the pairs i < j: kinks, segments, and per segment the callback with (pair index, segment
 * index, A, B, lo, hi). The plain version of the kink work (insertion sort of the kinks, coefficients
 * toggled per kink); the diagonal pairs are added by the caller.
 */
function forSegments(U: Float64Array, Y: Float64Array, n: number, m: number, V: Float64Array, c: number, seg: (i: number, j: number, s: number, A: number, B: number, lo: number, hi: number) => void): void {
  const kl = new Float64Array(m);
  const ku = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const io = i * m;
    for (let j = i + 1; j < n; j++) {
      const jo = j * m;
      let A = c;
      let B = 0;
      let nk = 0;
      for (let r = 0; r < m; r++) {
        const uj = U[jo + r];
        const ui = U[io + r];
        if (uj > 0 || (uj === 0 && ui > 0)) {
          A += V[r] * uj;
          B += V[r] * (ui - uj);
        }
        if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
          const lam = uj / (uj - ui);
          let q = nk++;
          while (q > 0 && kl[q - 1] > lam) {
            kl[q] = kl[q - 1];
            ku[q] = ku[q - 1];
            q--;
          }
          kl[q] = lam;
          ku[q] = r;
        }
      }
      let lo = 0;
      let s = 0;
      for (let q = 0; q <= nk; q++) {
        const hi = q < nk ? kl[q] : 1;
        if (hi > lo) seg(i, j, s++, A, B, lo, hi);
        if (q < nk) {
          const r = ku[q];
          const uj = U[jo + r];
          const sign = uj > 0 ? -1 : 1; // active at λ = 0 iff u_j > 0: the kink switches it off
          A += sign * V[r] * uj;
          B += sign * V[r] * (U[io + r] - uj);
          lo = hi;
        }
      }
    }
  }
}

/** Σ over the rung's Kronrod nodes of w_k·l on [lo, hi] (mixed labels of a flat α = β = 1 law, mass 2). */
function segmentValue(level: number, A: number, B: number, lo: number, hi: number, ya: number, yb: number): { K: number; G: number } {
  const R = KRONROD[level];
  const T = R.t;
  const M = T.length;
  const h = hi - lo;
  let sk = 0;
  let sg = 0;
  for (let k = 0; k < M; k++) {
    const u = T[k];
    const lam = u <= 0.5 ? lo + h * u : hi - h * T[M - 1 - k];
    const mlam = u <= 0.5 ? 1 - lo - h * u : 1 - hi + h * T[M - 1 - k];
    const l = logisticLossBar(A + B * lam, lam * ya + mlam * yb, lam * (1 - ya) + mlam * (1 - yb));
    sk += R.wk[k] * l;
    sg += R.wg[k] * l;
  }
  return { K: 2 * h * sk, G: 2 * h * sg };
}

function floorBench(ds: Dataset, model: TwoLayerModel): void {
  const { n } = ds;
  const m = model.m;
  const U = preactivations(model, ds.X, n);
  const V = model.V;
  const c = model.c ? model.c[0] : 0;
  const Y = ds.y;
  const fam = familyOf("logistic");
  // untimed oracle: the cheapest rung per segment that our acceptance test (tol/4 of the segment's own ∫|l|
  // plus its length share of tol/4 of the pair's ∫|l|) passes; the pair's ∫|l| from the top rung first
  const top = KRONROD.length - 1;
  const segAbs: number[] = [];
  const pairTot = new Map<number, number>();
  forSegments(U, Y, n, m, V, c, (i, j, _s, A, B, lo, hi) => {
    const v = segmentValue(top, A, B, lo, hi, Y[i], Y[j]).K;
    segAbs.push(v);
    pairTot.set(i * n + j, (pairTot.get(i * n + j) ?? 0) + v);
  });
  const rungs = new Int8Array(segAbs.length);
  let idx = 0;
  let floorNodes = 0;
  forSegments(U, Y, n, m, V, c, (i, j, _s, A, B, lo, hi) => {
    const aPair = pairTot.get(i * n + j)!;
    let lv = 0;
    for (; lv < top; lv++) {
      const v = segmentValue(lv, A, B, lo, hi, Y[i], Y[j]);
      if (Math.abs(v.K - v.G) <= (TOL / 4) * v.K + (TOL / 4) * aPair * (hi - lo)) break;
    }
    rungs[idx++] = lv;
    floorNodes += KRONROD[lv].t.length;
  });
  const pairs = (n * (n - 1)) / 2;
  // the timed floor: the same kink work and the oracle's rung per segment, as one plain loop over typed
  // arrays (no callback, no allocation), the Kronrod sum only
  const kl = new Float64Array(m);
  const ku = new Int32Array(m);
  const timeFloor = (): { s: number; value: number } => {
    const t0 = process.cpuUsage();
    let q = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const io = i * m;
      const ya = Y[i];
      for (let j = i + 1; j < n; j++) {
        const jo = j * m;
        const yb = Y[j];
        let A = c;
        let B = 0;
        let nk = 0;
        for (let r = 0; r < m; r++) {
          const uj = U[jo + r];
          const ui = U[io + r];
          if (uj > 0 || (uj === 0 && ui > 0)) {
            A += V[r] * uj;
            B += V[r] * (ui - uj);
          }
          if ((uj < 0 && ui > 0) || (uj > 0 && ui < 0)) {
            const lam = uj / (uj - ui);
            let p = nk++;
            while (p > 0 && kl[p - 1] > lam) {
              kl[p] = kl[p - 1];
              ku[p] = ku[p - 1];
              p--;
            }
            kl[p] = lam;
            ku[p] = r;
          }
        }
        let lo = 0;
        for (let p = 0; p <= nk; p++) {
          const hi = p < nk ? kl[p] : 1;
          if (hi > lo) {
            const R = KRONROD[rungs[q++]];
            const T = R.t;
            const WK = R.wk;
            const M = T.length;
            const h = hi - lo;
            let sk = 0;
            for (let k = 0; k < M; k++) {
              const u = T[k];
              const lam = u <= 0.5 ? lo + h * u : hi - h * T[M - 1 - k];
              const mlam = u <= 0.5 ? 1 - lo - h * u : 1 - hi + h * T[M - 1 - k];
              // the same node arithmetic as ours (loss.ts flatRange): logisticLossBar with each mixed label
              // formed on its side of z = 0
              const z = A + B * lam;
              const ph = log1pExpNeg(Math.abs(z));
              sk += WK[k] * (z > 0 ? ph + (lam * (1 - ya) + mlam * (1 - yb)) * z : ph - (lam * ya + mlam * yb) * z);
            }
            sum += 2 * h * sk;
          }
          if (p < nk) {
            const r = ku[p];
            const uj = U[jo + r];
            const sign = uj > 0 ? -1 : 1;
            A += sign * V[r] * uj;
            B += sign * V[r] * (U[io + r] - uj);
            lo = hi;
          }
        }
      }
    }
    for (let i = 0; i < n; i++) {
      // the diagonal pairs, l(f(x_i), y_i)
      let f = c;
      for (let r = 0; r < m; r++) if (U[i * m + r] > 0) f += V[r] * U[i * m + r];
      sum += (fam as ScalarFamily).loss(f, Y[i]);
    }
    return { s: cpuSince(t0), value: sum / (n * n) };
  };
  const timeOurs = (): { s: number; value: number; nodes: number; err: number } => {
    const t0 = process.cpuUsage();
    const r = exactMixupLoss(ds, model, fam, 1, 1, { tol: TOL });
    return { s: cpuSince(t0), value: r.value, nodes: r.nodes, err: r.errorEstimate };
  };
  // interleaved, so that a change in the machine's load falls on both alike
  const fl: Array<{ s: number; value: number }> = [];
  const ou: Array<{ s: number; value: number; nodes: number; err: number }> = [];
  for (let rep = 0; rep < 5; rep++) {
    fl.push(timeFloor());
    ou.push(timeOurs());
  }
  const bf = Math.min(...fl.map((x) => x.s));
  const bo = Math.min(...ou.map((x) => x.s));
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
  const mf = median(fl.map((x) => x.s));
  const mo = median(ou.map((x) => x.s));
  console.log(`\nall pairs on one thread against a fixed-rule floor (CPU seconds): ReLU net n = ${n}, m = ${m}, α = β = 1, tol ${TOL}`);
  console.log(`  floor (same kink work, cheapest passing Kronrod rung per segment by an untimed oracle, no estimate): ${bf.toFixed(3)} s (best of ${fl.map((x) => x.s.toFixed(3)).join(", ")}), ${(floorNodes / pairs).toFixed(1)} nodes per pair, value ${fl[0].value.toPrecision(15)}`);
  console.log(`  ours (exactMixupLoss, adaptive, with its error estimate): ${bo.toFixed(3)} s (best of ${ou.map((x) => x.s.toFixed(3)).join(", ")}), ${(ou[0].nodes / pairs).toFixed(1)} nodes per pair, value ${ou[0].value.toPrecision(15)} ± ${ou[0].err.toExponential(1)}`);
  console.log(`  equal accuracy: |ours − floor| = ${Math.abs(ou[0].value - fl[0].value).toExponential(1)} (tol·value = ${(TOL * ou[0].value).toExponential(1)}); ours / floor = ${(bo / bf).toFixed(2)}× (best of 5 each), ${(mo / mf).toFixed(2)}× (medians)`);
}

async function cliBench(ds: Dataset, model: TwoLayerModel): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mixup-bench-cli-"));
  const rows = ["x" + Array.from({ length: ds.d }, (_, k) => k + 1).join(",x") + ",y"];
  for (let i = 0; i < ds.n; i++) rows.push(Array.from(ds.X.subarray(i * ds.d, (i + 1) * ds.d), (v) => String(v)).join(",") + "," + ds.y[i]);
  writeFileSync(join(dir, "data.csv"), rows.join("\n") + "\n");
  writeFileSync(join(dir, "model.json"), JSON.stringify(modelToJSON(model)));
  const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
  const fam = familyOf("logistic");
  // the library in a fresh process too: the CLI pays module loading, reading the files and a cold JIT,
  // and so does a script that calls mixupLoss once
  const lib = fileURLToPath(new URL("../src/index.js", import.meta.url));
  const script = `const L = await import(${JSON.stringify(lib)}); const fs = await import("node:fs");
const model = L.parseModel(JSON.parse(fs.readFileSync(${JSON.stringify(join(dir, "model.json"))}, "utf8")), "model.json");
const rows = fs.readFileSync(${JSON.stringify(join(dir, "data.csv"))}, "utf8").trim().split("\\n").slice(1).map((r) => r.split(",").map(Number));
const d = rows[0].length - 1;
const X = Float64Array.from(rows.flatMap((r) => r.slice(0, d)));
const y = Float64Array.from(rows.map((r) => r[d]));
await L.mixupLoss(L.makeDataset(X, y, rows.length, d), model, L.family("logistic"), 1, 1);`;
  const warm: number[] = [];
  const cold: number[] = [];
  const cmd: number[] = [];
  for (let rep = 0; rep < 2; rep++) {
    let t0 = performance.now();
    await mixupLoss(ds, model, fam, 1, 1, { tol: TOL });
    warm.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "inherit"] });
    cold.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    execFileSync(process.execPath, [cli, "loss", "--data", join(dir, "data.csv"), "--model", join(dir, "model.json"), "--alpha", "1", "--json", "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });
    cmd.push((performance.now() - t0) / 1000);
  }
  const bw = Math.min(...warm);
  const bk = Math.min(...cold);
  const bc = Math.min(...cmd);
  console.log(`\nloss --json against the library's mixupLoss, same ReLU net (all threads; wall seconds, best of 2)`);
  console.log(`  loss --json (labelled, label-free rewrite, Taylor terms, adversarial summary; a new process): ${bc.toFixed(3)} s`);
  console.log(`  mixupLoss in a new process (module load, file read, cold JIT, one call): ${bk.toFixed(3)} s → loss --json is ${(bc / bk).toFixed(2)}×`);
  console.log(`  mixupLoss in this process, warm (kept workers, compiled code): ${bw.toFixed(3)} s → ${(bc / bw).toFixed(2)}×`);
}

const { ds, model } = problem();
floorBench(ds, model);
await cliBench(ds, model);
