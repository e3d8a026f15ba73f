#!/usr/bin/env node
import { Command } from "commander";
import { configureCommander, runCli } from "./io/index.js";
import { packageVersion } from "./json.js";
import { registerData } from "./data.js";
import { registerExperiment } from "./experiment.js";
import { registerLoss } from "./loss.js";
import { registerRobust } from "./robust.js";
import { registerTaylor } from "./taylor.js";
import { registerGeneralization } from "./generalization.js";
import { registerSearch } from "./search.js";
import { registerTheorem } from "./theorem.js";
import { registerTrain } from "./train.js";
import { registerVerify } from "./verify.js";

/** The `mixup-theory` command line: a thin layer that parses, calls the library and prints. */
export function buildProgram(out: (s: string) => void, setCode: (c: number) => void): Command {
  const program = new Command();
  program
    .name("mixup-theory")
    .description("Numerical checks of the theory of Mixup (Zhang et al., ICLR 2021)")
    .version(packageVersion());
  registerLoss(program, out);
  registerTaylor(program, out);
  registerRobust(program, out);
  registerTheorem(program, out);
  registerGeneralization(program, out);
  registerSearch(program, out);
  registerTrain(program, out);
  registerVerify(program, out, setCode);
  registerData(program, out);
  registerExperiment(program, out);
  return configureCommander(program);
}

await runCli(async () => {
  let code = 0;
  const program = buildProgram(
    (s) => void process.stdout.write(s),
    (c) => (code = c),
  );
  await program.parseAsync(process.argv);
  return code;
});
