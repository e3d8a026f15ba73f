/**
 * A minimal .npy writer for tests (format 1.0, C order, little-endian unless the descr says '>'),
 * byte for byte what numpy's np.save writes for the same array (header padded with spaces to a
 * multiple of 64 bytes and ended by "\n").
 */
export function npyBytes(
  data: Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array,
  shape: readonly number[],
  descr = data instanceof Float32Array ? "<f4" : data instanceof BigInt64Array ? "<i8" : data instanceof Int32Array ? "<i4" : data instanceof Uint8Array ? "|u1" : "<f8",
  opts: { fortran?: boolean; version?: 1 | 2 } = {},
): Uint8Array {
  const shapeText = `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const version = opts.version ?? 1;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const hl = dict.length;
  if (version === 1) out.set([hl & 255, hl >> 8], 8);
  else out.set([hl & 255, (hl >> 8) & 255, (hl >> 16) & 255, hl >>> 24], 8);
  out.set(Buffer.from(dict, "latin1"), pre);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (descr.startsWith(">")) {
    const size = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < data.length; i++) for (let k = 0; k < size; k++) out[total + i * size + k] = bytes[i * size + size - 1 - k];
  } else out.set(bytes, total);
  return out;
}
