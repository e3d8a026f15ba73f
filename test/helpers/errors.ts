import { expect } from "vitest";
import { InputError } from "../../src/core/errors.js";

/** The InputError thrown by f, whose message is one line (fails if f throws nothing or another kind). */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/[\r\n]/);
    return e as InputError;
  }
  throw new Error("expected an InputError");
}
