// npm does not link a package's own bin into its node_modules/.bin; do it so that `npx mixup-theory`
// (and node_modules/.bin/mixup-theory) work in a fresh clone after `npm ci`.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
const target = join("dist", "src", "cli", "main.js");
chmodSync(target, 0o755);
mkdirSync(join("node_modules", ".bin"), { recursive: true });
const link = join("node_modules", ".bin", "mixup-theory");
rmSync(link, { force: true });
symlinkSync(join("..", "..", target), link);
