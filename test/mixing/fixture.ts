/** Loads test/fixtures/mixing/jacobi.json (written once by make_jacobi_fixtures.py; tests only read it). */
import { readFileSync } from "node:fs";

export interface RuleFixture {
  N: number;
  a: number;
  b: number;
  x: number[];
  y: number[];
  w: number[];
  scipyErr: { node: number; weight: number };
}
export interface PieceFixture {
  a: number;
  b: number;
  lo: number;
  hi: number;
  mass: number;
  exp: number;
  inv1p: number;
}
export interface MixingFixture {
  rules: RuleFixture[];
  pieces: PieceFixture[];
  logBeta: { a: number; b: number; logB: number }[];
}

export const fixture: MixingFixture = JSON.parse(
  readFileSync(new URL("../fixtures/mixing/jacobi.json", import.meta.url), "utf8"),
) as MixingFixture;

/** |got − want| / |want| (0 when both are 0). */
export function relErr(got: number, want: number): number {
  if (got === want) return 0;
  return Math.abs(got - want) / Math.abs(want);
}
