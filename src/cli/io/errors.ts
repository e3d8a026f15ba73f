import { CommanderError, type Command } from "commander";
import { InputError } from "../../core/errors.js";

export {
  parseFinite,
  parsePositive,
  parseNonNegative,
  parseNonNegativeInt,
  parsePositiveInt,
  parseNumberList,
  parseTol,
  parseShape,
  asOption,
  type ListItemKind,
} from "./options.js";

/** The program name that prefixes every error line. */
export const PROGRAM = "mixup-theory";

/** Collapse line breaks so a message is one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * What the error boundary does with a thrown value: the exit code and the text for stderr
 * (null: print nothing). Pure, for tests.
 * - InputError (and subclasses): `mixup-theory: <message>`, exit 2.
 * - CommanderError: help/version (exit code 0) → exit 0 silently; help shown after an error →
 *   exit 2 silently (commander already printed it); others (unknown option, missing argument,
 *   invalid argument…) → `mixup-theory: <commander's message without "error: ">`, exit 2.
 * - anything else: `mixup-theory: internal error: <message>`, exit 1; the stack follows only
 *   when env MIXUP_DEBUG=1.
 */
export function describeError(err: unknown, env: NodeJS.ProcessEnv = process.env): { code: number; text: string | null } {
  if (err instanceof InputError) return { code: 2, text: `${PROGRAM}: ${oneLine(err.message)}\n` };
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { code: 0, text: null };
    if (err.code === "commander.help" || err.code === "commander.helpDisplayed") return { code: 2, text: null };
    const msg = oneLine(err.message).replace(/^error:\s*/i, "");
    return { code: 2, text: `${PROGRAM}: ${msg}\n` };
  }
  const message = err instanceof Error ? err.message : String(err);
  let text = `${PROGRAM}: internal error: ${oneLine(message)}\n`;
  if (env.MIXUP_DEBUG === "1" && err instanceof Error && err.stack) text += `${err.stack}\n`;
  return { code: 1, text };
}

/** Where runCli writes and how it exits (injectable for tests). */
export interface CliProcess {
  writeErr(text: string): void;
  exit(code: number): never;
  env: NodeJS.ProcessEnv;
}

/**
 * Run main, then return its exit code (errors mapped by describeError, text written to
 * `io.writeErr`). Does not exit; `runCli` does.
 */
export async function runMain(
  main: () => Promise<number> | number,
  io: Pick<CliProcess, "writeErr" | "env">,
): Promise<number> {
  try {
    const code = await main();
    if (!(Number.isInteger(code) && code >= 0 && code <= 255)) {
      throw new Error(`main returned the exit code ${String(code)}`);
    }
    return code;
  } catch (err) {
    const { code, text } = describeError(err, io.env);
    if (text !== null) io.writeErr(text);
    return code;
  }
}

/**
 * The CLI's error boundary: `await runCli(async () => { …; return 0; })`. Runs main and exits with
 * its code once stdout is flushed; errors become one stderr line (see describeError). A closed
 * stdout (EPIPE, e.g. `| head`) ends the process quietly with code 0.
 */
export async function runCli(main: () => Promise<number> | number, io?: Partial<CliProcess>): Promise<never> {
  const real = io === undefined;
  if (real) {
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      process.stderr.write(`${PROGRAM}: cannot write output (${e.code ?? oneLine(e.message)})\n`);
      process.exit(2);
    });
  }
  const proc: CliProcess = {
    writeErr: io?.writeErr ?? ((s: string) => void process.stderr.write(s)),
    exit: io?.exit ?? ((c: number) => process.exit(c)),
    env: io?.env ?? process.env,
  };
  const code = await runMain(main, proc);
  if (real) await flushStdout();
  return proc.exit(code);
}

function flushStdout(): Promise<void> {
  const out = process.stdout;
  if (out.destroyed || out.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    out.write("", () => resolve());
  });
}

/**
 * Make a commander program (and its subcommands) throw instead of exiting, and leave the error
 * line to runCli (so it reads `mixup-theory: unknown option '--x'`, printed once). Call after
 * adding the subcommands; help and version output are unchanged.
 */
export function configureCommander(program: Command): Command {
  const apply = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: () => {} });
    for (const sub of cmd.commands) apply(sub);
  };
  apply(program);
  return program;
}
