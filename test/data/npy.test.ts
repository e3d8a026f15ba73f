import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { isNpyFile, parseNpyHeader, readNpyDataset, readNpyFile } from "../../src/data/index.js";
import { npyBytes } from "../helpers/npy.js";
import { inputError } from "../helpers/errors.js";

const FIX = join("test", "fixtures", "npy");
const fx = (name: string) => join(FIX, name);
const X = [1.2, -0.4, -0.8, 0.9, 0.3, 1.1, -0.7, -1.6];

const dir = mkdtempSync(join(tmpdir(), "mixup-npy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function file(bytes: Uint8Array): string {
  const p = join(dir, `a${count++}.npy`);
  writeFileSync(p, bytes);
  return p;
}

const err = inputError;

describe("readNpyFile on files written by numpy", () => {
  it("float64, float32 (widened), big-endian float64, format versions 2.0 and 3.0", () => {
    for (const name of ["X_f8.npy", "X_be.npy", "X_v2.npy", "X_v3.npy"]) {
      const a = readNpyFile(fx(name));
      expect(a.shape, name).toEqual([4, 2]);
      expect([...a.data], name).toEqual(X);
    }
    expect(readNpyFile(fx("X_v2.npy")).header.version).toBe("2.0");
    expect(readNpyFile(fx("X_v3.npy")).header.version).toBe("3.0");
    const f4 = readNpyFile(fx("X_f4.npy"));
    expect([...f4.data]).toEqual(X.map((v) => Math.fround(v)));
  });

  it("labels: int64, float64 and bool", () => {
    for (const name of ["y_i8.npy", "y_f8.npy", "y_bool.npy"]) {
      const a = readNpyFile(fx(name), "labels");
      expect(a.shape).toEqual([4]);
      expect([...a.data]).toEqual([1, 0, 1, 0]);
    }
  });

  it("refuses int64, complex and object features, Fortran order", () => {
    expect(err(() => readNpyFile(fx("X_i8.npy"))).message).toBe(
      `${fx("X_i8.npy")}: dtype '<i8' is not supported (features: float64 ('<f8') or float32 ('<f4'), either byte order)`,
    );
    expect(err(() => readNpyFile(fx("X_c16.npy"))).message).toMatch(/dtype '<c16' is not supported/);
    expect(err(() => readNpyFile(fx("y_obj.npy"), "labels")).message).toMatch(/dtype '\|O' is not supported \(labels: float64, float32, integer or bool\)/);
    expect(err(() => readNpyFile(fx("X_fortran.npy"))).message).toBe(
      `${fx("X_fortran.npy")}: Fortran-ordered array (shape (4, 2)) is not supported: save np.ascontiguousarray(a)`,
    );
  });

  it("isNpyFile looks at the magic bytes", () => {
    expect(isNpyFile(fx("X_f8.npy"))).toBe(true);
    expect(isNpyFile(join(FIX, "make_fixtures.py"))).toBe(false);
    expect(isNpyFile(join(dir, "missing.npy"))).toBe(false);
  });
});

describe("readNpyFile: the format", () => {
  it("the TS writer in test/helpers/npy.ts gives numpy's bytes", () => {
    const ours = npyBytes(Float64Array.from(X), [4, 2]);
    expect(Buffer.from(ours).equals(readFileSync(fx("X_f8.npy")))).toBe(true);
  });

  it("header parsing: spaces, a trailing comma or none, keys in any order, 1-D and 0-D shapes, Python 2 longs", () => {
    const h = (text: string) => {
      const head = Buffer.from(text, "latin1");
      const b = Buffer.alloc(10 + head.length);
      b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 255, head.length >> 8]);
      b.set(head, 10);
      return parseNpyHeader(b, "h.npy");
    };
    expect(h("{'shape': (3,), 'fortran_order': False, 'descr': '<f8'}\n")).toMatchObject({ shape: [3], descr: "<f8", fortranOrder: false });
    expect(h('{"descr":"<f4","fortran_order":True,"shape":(2L, 5L),}   \n')).toMatchObject({ shape: [2, 5], descr: "<f4", fortranOrder: true });
    expect(h("{'descr': '<f8', 'fortran_order': False, 'shape': ()}")).toMatchObject({ shape: [] });
    expect(err(() => h("{'descr': '<f8', 'shape': (3,)}")).message).toMatch(/exactly the keys descr, fortran_order and shape, found descr, shape/);
    expect(err(() => h("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,)}")).message).toMatch(/structured dtypes/);
    expect(err(() => h("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,)}")).message).toMatch(/not a tuple of non-negative integers/);
    expect(err(() => h("not a dict")).message).toMatch(/^h\.npy: the \.npy header is not a Python dict literal/);
  });

  it("a file that is not .npy, a bad version, truncated header and data, extra bytes", () => {
    expect(err(() => readNpyFile(file(Buffer.from("x,y\n1,0\n")))).message).toMatch(/: not a \.npy file \(it does not start with \\x93NUMPY\)$/);
    const good = npyBytes(Float64Array.from(X), [4, 2]);
    const v9 = Uint8Array.from(good);
    v9[6] = 9;
    expect(err(() => readNpyFile(file(v9))).message).toMatch(/\.npy format version 9\.0 is not supported \(1\.0, 2\.0 and 3\.0 are\)$/);
    let p = file(good.subarray(0, 50));
    expect(err(() => readNpyFile(p)).message).toBe(`${p}: truncated .npy file: 50 bytes, the header alone needs 128`);
    p = file(good.subarray(0, good.length - 8));
    expect(err(() => readNpyFile(p)).message).toBe(`${p}: truncated .npy file: shape (4, 2) of '<f8' needs 64 bytes of data, the file has 56`);
    p = file(Buffer.concat([good, Buffer.alloc(3)]));
    expect(err(() => readNpyFile(p)).message).toBe(`${p}: 3 bytes after the data that shape (4, 2) of '<f8' announces`);
    p = file(good.subarray(0, 4));
    expect(err(() => readNpyFile(p)).message).toMatch(/truncated \.npy file: 4 bytes/);
    expect(err(() => readNpyFile(join(dir, "none.npy"))).message).toBe(`${join(dir, "none.npy")}: cannot read file (ENOENT)`);
    expect(err(() => readNpyFile(dir)).message).toBe(`${dir}: cannot read file (EISDIR)`);
  });

  it("integer labels beyond 2^53 are refused", () => {
    const big = new BigInt64Array([1n, 2n ** 60n]);
    const p = file(npyBytes(big, [2], "<i8"));
    expect(err(() => readNpyFile(p, "labels")).message).toBe(`${p}: element 2: ${2n ** 60n} is beyond 2^53 and not exactly a float64`);
  });
});

describe("readNpyDataset", () => {
  const Xp = () => file(npyBytes(Float64Array.from(X), [4, 2]));

  it("scalar labels (n) or (n, 1); names x0..x{d-1}", () => {
    for (const shape of [[4], [4, 1]]) {
      const ds = readNpyDataset(Xp(), file(npyBytes(Float64Array.from([1, 0, 0.5, 0]), shape)), "scalar");
      expect({ n: ds.n, d: ds.d, K: ds.K, names: ds.names }).toEqual({ n: 4, d: 2, K: 1, names: ["x0", "x1"] });
      expect([...ds.X]).toEqual(X);
      expect([...ds.y]).toEqual([1, 0, 0.5, 0]);
    }
  });

  it("class indices (int64) become one-hot rows; n×K soft labels are taken as they are", () => {
    const ds = readNpyDataset(Xp(), file(npyBytes(new BigInt64Array([2n, 0n, 1n, 2n]), [4], "<i8")), { K: 3 });
    expect(ds.K).toBe(3);
    expect([...ds.y]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const soft = Float64Array.from([0.5, 0.5, 1, 0, 0, 1, 0.25, 0.75]);
    const s = readNpyDataset(Xp(), file(npyBytes(soft, [4, 2])), { K: 2 });
    expect([...s.y]).toEqual([...soft]);
    expect(readNpyDataset(Xp(), file(npyBytes(soft, [4, 2])), "auto").K).toBe(2);
  });

  it("bad input names the file, and the row where there is one", () => {
    const y4 = () => file(npyBytes(Float64Array.from([1, 0, 1, 0]), [4]));
    let p = file(npyBytes(Float64Array.from(X), [8]));
    expect(err(() => readNpyDataset(p, y4(), "scalar")).message).toBe(`${p}: shape (8,) is not 2-D: features must be an n×d array`);
    p = file(npyBytes(Float64Array.from(X), [2, 2, 2]));
    expect(err(() => readNpyDataset(p, y4(), "scalar")).message).toMatch(/shape \(2, 2, 2\) is not 2-D/);
    p = file(npyBytes(new Float64Array(0), [0, 2]));
    expect(err(() => readNpyDataset(p, y4(), "scalar")).message).toBe(`${p}: no data rows (shape (0, 2))`);
    const nan = Float64Array.from(X);
    nan[5] = NaN;
    p = file(npyBytes(nan, [4, 2]));
    const e = err(() => readNpyDataset(p, y4(), "scalar"));
    expect(e.message).toBe(`${p}: row 3, column 2: value NaN is not finite`);
    expect(e.where).toBe(`${p} row 3`);
    const inf = Float32Array.from(X);
    inf[0] = Infinity;
    p = file(npyBytes(inf, [4, 2], "<f4"));
    expect(err(() => readNpyDataset(p, y4(), "scalar")).message).toBe(`${p}: row 1, column 1: value Infinity is not finite`);

    const xp = Xp();
    let yp = file(npyBytes(Float64Array.from([1, 0, 1]), [3]));
    expect(err(() => readNpyDataset(xp, yp, "scalar")).message).toBe(`${yp}: 3 rows of labels (shape (3,)), ${xp} has n = 4 rows (shape (4, 2))`);
    yp = file(npyBytes(Float64Array.from([1, 0, NaN, 0]), [4]));
    expect(err(() => readNpyDataset(xp, yp, "scalar")).message).toBe(`${yp}: row 3: label NaN is not finite`);
    yp = file(npyBytes(new Float64Array(8), [4, 2]));
    expect(err(() => readNpyDataset(xp, yp, "scalar")).message).toBe(`${yp}: shape (4, 2): this loss takes one label per row (shape (n,) or (n, 1))`);
    expect(err(() => readNpyDataset(xp, yp, { K: 3 })).message).toBe(
      `${yp}: shape (4, 2): 2 label columns, the model has K = 3 outputs (give n class indices or an n×3 array)`,
    );
    yp = file(npyBytes(Float64Array.from([0, 1, 3, 0]), [4]));
    expect(err(() => readNpyDataset(xp, yp, { K: 3 })).message).toBe(`${yp}: row 3: 3 is not a class index (an integer 0..2)`);
    yp = file(npyBytes(new Float64Array(4), [2, 2, 1]));
    expect(err(() => readNpyDataset(xp, yp, "scalar")).message).toBe(`${yp}: shape (2, 2, 1): labels must be 1-D (n) or 2-D (n×K)`);
  });
});
