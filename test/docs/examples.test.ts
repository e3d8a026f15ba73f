import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every ```ts block of the README and docs/*.md runs, so no example can go stale. A block is one example; in a
// file with a block marked `<!-- example: setup -->` (api.md) each example runs after the setup, its own
// declarations in a scope of their own (so it may reuse a setup name), its imports merged with the setup's. A
// block marked `<!-- example: not run (reason) -->` is skipped, and must say why. The examples import
// "mixup-theory" by the package's own name (Node's self-reference through "exports", so the built dist/ is what
// runs), in a folder that holds data.csv and model.json. All examples of a file run in one Node process.

const root = fileURLToPath(new URL("../..", import.meta.url));
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

interface Block {
  file: string;
  line: number;
  code: string;
  marker: string | null;
}

function blocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === "") j--;
    const marker = j >= 0 && lines[j].startsWith("<!-- example:") ? lines[j] : null;
    const start = i + 1;
    let end = start;
    while (lines[end].trim() !== "```") end++;
    out.push({ file, line: i + 1, code: lines.slice(start, end).join("\n"), marker });
    i = end;
  }
  return out;
}

/** import statements → merged per module (names deduplicated), and the rest of the code. */
function splitImports(code: string, merged: Map<string, { def?: string; names: Set<string> }>): string {
  return code.replace(/^import\s+(type\s+)?([\s\S]*?)\s+from\s+"([^"]+)";[^\n]*$/gm, (_all, typeOnly: string | undefined, what: string, mod: string) => {
    if (typeOnly) return "";
    const entry = merged.get(mod) ?? { names: new Set<string>() };
    const m = /^(\w+)?\s*,?\s*(\{[\s\S]*\})?$/.exec(what.trim());
    if (m === null) throw new Error(`cannot read import ${what} from ${mod}`);
    if (m[1]) entry.def = m[1];
    if (m[2]) {
      for (const part of m[2].slice(1, -1).split(",")) {
        const name = part.trim();
        if (name !== "" && !name.startsWith("type ")) entry.names.add(name);
      }
    }
    merged.set(mod, entry);
    return "";
  });
}

function program(setup: string | null, body: string): string {
  const merged = new Map<string, { def?: string; names: Set<string> }>();
  const s = setup === null ? "" : splitImports(setup, merged);
  const b = splitImports(body, merged);
  const imports = [...merged].map(([mod, e]) => `import ${[e.def, e.names.size ? `{ ${[...e.names].join(", ")} }` : ""].filter(Boolean).join(", ")} from "${mod}";`);
  const tsCode = `${imports.join("\n")}\n${s}\n{\n${b}\n}\nexport {};\n`;
  return ts.transpileModule(tsCode, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

describe("the TypeScript examples of the README and docs/ run", () => {
  for (const file of files) {
    const all = blocks(file);
    if (all.length === 0) continue;
    it(`${file}: ${all.length} blocks`, () => {
      const setup = all.find((b) => b.marker === "<!-- example: setup -->")?.code ?? null;
      const skipped = all.filter((b) => b.marker?.startsWith("<!-- example: not run"));
      for (const b of skipped) expect(b.marker, `${file}:${b.line}`).toMatch(/not run \(.{10,}\) -->/);
      const run = all.filter((b) => b.marker === null);
      // the examples live inside the package (self-reference), in a scratch folder removed afterwards
      const dir = mkdtempSync(join(root, ".examples-"));
      const work = mkdtempSync(join(tmpdir(), "mixup-examples-"));
      try {
        writeFileSync(join(work, "data.csv"), "x1,x2,y\n1,2,1\n-1,0.5,0\n0.3,-2,1\n0.5,0.5,0\n");
        writeFileSync(join(work, "model.json"), JSON.stringify({ kind: "linear", theta: [0.8, 0.3] }));
        const names = run.map((b, k) => {
          const name = `ex${k}-line${b.line}.mjs`;
          writeFileSync(join(dir, name), program(setup, b.code));
          return name;
        });
        const runner = `import { closeWorkers } from "mixup-theory";\nconst failures = [];\nfor (const f of ${JSON.stringify(names)}) {\n  try { await import(new URL(f, import.meta.url)); } catch (e) { failures.push(f + ": " + (e && e.stack ? e.stack.split("\\n").slice(0, 3).join(" | ") : e)); }\n}\ncloseWorkers();\nconsole.log(JSON.stringify(failures));\nprocess.exit(0);\n`;
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "run.mjs"), runner);
        const out = execFileSync("node", [join(dir, "run.mjs")], { cwd: work, encoding: "utf8", maxBuffer: 64 << 20 });
        const failures = JSON.parse(out.trim().split("\n").pop()!);
        expect(failures, `${file}`).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(work, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
