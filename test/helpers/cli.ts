import { expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs the built CLI (dist/, built by the global setup) as a child process. */
export function cli(args: string[], opts: { cwd?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(process.cwd(), "dist", "src", "cli", "main.js"), ...args], {
    encoding: "utf8",
    cwd: opts.cwd,
    env: { ...process.env, MIXUP_DEBUG: "" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), "mixup-cli-"));
}

export function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A fresh directory with the data as d.csv and the model as m.json. */
export function problemFiles(data: string, model: string): { dir: string; data: string; model: string } {
  const dir = tmp();
  return { dir, data: write(dir, "d.csv", data), model: write(dir, "m.json", model) };
}

/** Runs the CLI, expects success with nothing on stderr and no NaN/Infinity as a JSON value, and parses stdout. */
export function cliJson(args: string[]) {
  const r = cli(args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(/:\s*-?(NaN|Infinity)\b/); // as values; a reason may name them
  return JSON.parse(r.stdout);
}

/** Bad input: exit 2, nothing on stdout, one "mixup-theory: …" line on stderr matching re, no stack trace. */
export function expectOneLineError(r: { code: number; stdout: string; stderr: string }, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mixup-theory: /);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
