/** vitest global setup: build dist/ once so CLI tests run the real built binary as a child process. */
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  execFileSync("node", ["scripts/link-bin.mjs"], { stdio: "inherit" });
}
