/**
 * `npm run bench` (data part): reading big inputs. Writes a 10⁶ × 4 CSV (four features with full
 * round-trip precision, `String(x)`, and a 0/1 label: about 80 MB) to a temporary directory and reads it
 * with `readCsvFile` (streamed in 4 MiB chunks, parsed as bytes into Float64Arrays); then the same data as
 * .npy files (float64 X and y) read by `readNpyDataset`. Prints MB/s (best of 3 after a warm-up read, and
 * the first timed run).
 * Never run by the tests; numbers are for reading.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { readCsvFile, readNpyDataset } from "../src/data/index.js";

const N = 1_000_000;
const D = 4;
const RUNS = 3;

function writeCsvFile(path: string): void {
  let s = 12345;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 6 - 3;
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "x1,x2,x3,x4,y\n");
    let lines: string[] = [];
    for (let i = 0; i < N; i++) {
      const row: string[] = [];
      for (let k = 0; k < D; k++) row.push(String(rnd()));
      row.push(i % 2 === 0 ? "0" : "1");
      lines.push(row.join(","));
      if (lines.length === 10_000) {
        writeSync(fd, lines.join("\n") + "\n");
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, lines.join("\n") + "\n");
  } finally {
    closeSync(fd);
  }
}

/** A float64 .npy file (format 1.0, C order), as np.save writes it. */
function npy(data: Float64Array, shape: number[]): Uint8Array {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 11, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 255, dict.length >> 8]);
  out.set(Buffer.from(dict, "latin1"), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** Seconds of each of RUNS calls. */
function time(f: () => void): number[] {
  const out: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    f();
    out.push((performance.now() - t) / 1000);
  }
  return out;
}

function report(what: string, bytes: number, secs: number[]): void {
  const best = Math.min(...secs);
  const mb = bytes / 1e6;
  console.log(
    `${what.padEnd(34)} ${mb.toFixed(1)} MB: best ${best.toFixed(3)} s = ${(mb / best).toFixed(1)} MB/s ` +
      `(first run ${(mb / secs[0]).toFixed(1)} MB/s)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "mixup-bench-data-"));
try {
  console.log(`data: n = ${N}, d = ${D}; load average ${loadavg()[0].toFixed(2)}`);
  const csv = join(dir, "data.csv");
  writeCsvFile(csv);
  const csvBytes = statSync(csv).size;
  let ds = readCsvFile(csv, { labels: "scalar" }); // warm-up, and the data for the .npy files
  report("readCsvFile (full-precision values)", csvBytes, time(() => (ds = readCsvFile(csv, { labels: "scalar" }))));
  if (ds.n !== N) throw new Error(`read ${ds.n} rows, expected ${N}`);
  const xPath = join(dir, "X.npy");
  const yPath = join(dir, "y.npy");
  writeFileSync(xPath, npy(ds.X, [N, D]));
  writeFileSync(yPath, npy(ds.y, [N]));
  const npyBytes = statSync(xPath).size + statSync(yPath).size;
  let back = ds;
  report("readNpyDataset (float64 X and y)", npyBytes, time(() => (back = readNpyDataset(xPath, yPath, "scalar"))));
  for (let i = 0; i < ds.X.length; i++) if (!Object.is(back.X[i], ds.X[i])) throw new Error(`.npy value ${i} differs from the CSV`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
