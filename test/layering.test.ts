import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under dir, recursively. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

describe("layering: the library does not know the terminal (design.md)", () => {
  it("no module outside src/cli imports from src/cli (verify/report.ts took its JSON encoding from core/json.ts)", () => {
    const offenders: string[] = [];
    for (const f of [...sources("src"), ...sources("proofs-checks")]) {
      if (f.startsWith(join("src", "cli"))) continue;
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/from\s+"([^"]+)"/g)) {
        if (/(^|\/)cli\//.test(m[1])) offenders.push(`${f} imports ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("core/ imports nothing outside core/, but for the worker script's job registry (src/jobs.ts)", () => {
    const offenders: string[] = [];
    for (const f of sources(join("src", "core"))) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1];
        if (!spec.startsWith(".")) continue; // node: and npm packages
        if (spec.startsWith("./")) continue;
        if (f === join("src", "core", "worker.ts") && spec === "../jobs.js") continue;
        offenders.push(`${f} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
