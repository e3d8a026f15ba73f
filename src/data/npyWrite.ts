/**
 * An .npy file (format 1.0, '<f8', C order) of a Float64Array with the given shape: the bytes numpy's
 * np.save writes for the same array (header padded with spaces to a multiple of 64 bytes, ended by "\n"),
 * so `readNpyFile` and numpy.load read it back.
 */
export function npyFloat64(data: Float64Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`npyFloat64: shape (${shape.join(", ")}) holds ${count} values, got ${data.length}`);
  const shapeText = `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - 11, " ") + "\n";
  const out = new Uint8Array(total + 8 * data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  out.set(Buffer.from(header, "latin1"), 10);
  const view = new DataView(out.buffer, total);
  for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i], true);
  return out;
}
