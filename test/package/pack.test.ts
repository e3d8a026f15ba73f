import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The package as a user gets it: `npm pack`, installed into a scratch project (from npm's cache: no network
// beyond what `npm ci` fetched), type-checked strictly without skipLibCheck, and run. Uses the built dist/
// (npm ci builds it through `prepare`). About 30–60 s, most of it npm install.
const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: root, encoding: "utf8" }));

const USER_CODE = `import fc from "fast-check";
import { fromArrays, modelFromJson, mixupLoss, family, type Dataset } from "mixup-theory";
import { problem, alphaBeta } from "mixup-theory/arbitraries";
import { claims, checkClaim, type ClaimInstance } from "mixup-theory/claims";

const ds: Dataset = fromArrays([[1, 0.5], [-1, -0.5], [0.5, 1], [-0.5, -1]], [1, 0, 1, 0]);
const model = modelFromJson({ kind: "linear", theta: [0.8, 0.3] });
const loss = await mixupLoss(ds, model, family("logistic"), 1, 1, { workers: 1 });
const arb: fc.Arbitrary<ClaimInstance> = fc.tuple(problem({ model: "linear" }), alphaBeta({ lo: 0.1, hi: 10 })).map(([p, ab]) => ({ ...p, ...ab }));
const r = await checkClaim(claims["theorem-3.1"], arb, { numRuns: 20, seed: 1 });
console.log(JSON.stringify({ loss: Number(loss.value.toFixed(6)), holds: r.holds }));
process.exit(0);
`;

describe("the packed package", () => {
  it("installs from its tarball, type-checks strictly (no skipLibCheck) and runs from all three entry points", () => {
    const dir = mkdtempSync(join(tmpdir(), "mixup-pack-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: root, stdio: "pipe" });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const app = join(dir, "app");
    execFileSync("mkdir", [app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    writeFileSync(join(app, "index.ts"), USER_CODE);
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", outDir: "out", skipLibCheck: false, types: ["node"] }, files: ["index.ts"] }),
    );
    execFileSync(
      "npm",
      ["install", join(dir, tgz), `fast-check@${pkg.peerDependencies["fast-check"]}`, `@types/node@${pkg.devDependencies["@types/node"]}`, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
      { cwd: app, stdio: "pipe" },
    );
    execFileSync("node", [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", app], { cwd: app, stdio: "pipe" });
    const out = execFileSync("node", [join(app, "out", "index.js")], { cwd: app, encoding: "utf8" });
    const j = JSON.parse(out.trim());
    expect(j.holds).toBe(true);
    expect(j.loss).toBeGreaterThan(0);
  }, 300_000);
});
