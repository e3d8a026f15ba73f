#!/usr/bin/env node
import { Command } from "commander";
import { configureCommander, runCli } from "./io/index.js";
import { packageVersion } from "./json.js";

type Out = (s: string) => void;
type Register = (program: Command, out: Out, setCode: (c: number) => void) => void;

/**
 * The commands in help order, each loaded on demand: a run of one command loads only its module graph (loading
 * every command's took ~0.15 s of a `loss` run's start-up; docs/numerics.md).
 */
const COMMANDS: ReadonlyArray<[string, () => Promise<Register>]> = [
  ["loss", async () => (await import("./loss.js")).registerLoss],
  ["taylor", async () => (await import("./taylor.js")).registerTaylor],
  ["robust", async () => (await import("./robust.js")).registerRobust],
  ["theorem", async () => (await import("./theorem.js")).registerTheorem],
  ["generalization", async () => (await import("./generalization.js")).registerGeneralization],
  ["search", async () => (await import("./search.js")).registerSearch],
  ["train", async () => (await import("./train.js")).registerTrain],
  ["verify", async () => (await import("./verify.js")).registerVerify],
  ["data", async () => (await import("./data.js")).registerData],
  ["experiment", async () => (await import("./experiment.js")).registerExperiment],
];

/**
 * The `mixup-theory` command line: a thin layer that parses, calls the library and prints. With `only` (the
 * name of a command) only that command is registered; otherwise all of them (help, an unknown command).
 */
export async function buildProgram(out: Out, setCode: (c: number) => void, only?: string): Promise<Command> {
  const program = new Command();
  program
    .name("mixup-theory")
    .description("Numerical checks of the theory of Mixup (Zhang et al., ICLR 2021)")
    .version(packageVersion());
  const chosen = COMMANDS.filter(([name]) => only === undefined || name === only);
  const registers = await Promise.all(chosen.map(([, load]) => load()));
  for (const register of registers) register(program, out, setCode);
  return configureCommander(program);
}

await runCli(async () => {
  let code = 0;
  const first = process.argv[2];
  const only = COMMANDS.some(([name]) => name === first) ? first : undefined;
  const program = await buildProgram(
    (s) => void process.stdout.write(s),
    (c) => (code = c),
    only,
  );
  await program.parseAsync(process.argv);
  return code;
});
