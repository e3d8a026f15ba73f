import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { InputError, OverflowError } from "../../src/core/errors.js";
import { asOption, configureCommander, describeError, parsePositive, runCli, runMain } from "../../src/cli/io/errors.js";

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Run runCli with a fake process; resolve to the exit code and stderr. */
async function run(main: () => Promise<number> | number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; err: string }> {
  let err = "";
  try {
    await runCli(main, {
      writeErr: (s) => {
        err += s;
      },
      exit: (c) => {
        throw new Exit(c);
      },
      env,
    });
  } catch (e) {
    if (e instanceof Exit) return { code: e.code, err };
    throw e;
  }
  throw new Error("runCli returned");
}

describe("runCli", () => {
  it("exits with main's code and prints nothing on success", async () => {
    expect(await run(() => 0)).toEqual({ code: 0, err: "" });
    expect(await run(async () => 3)).toEqual({ code: 3, err: "" });
  });

  it("InputError → one line `mixup-theory: <message>`, exit 2", async () => {
    const r = await run(() => {
      throw new InputError("data.csv", "data.csv: row 4 has 2 fields, the header has 3");
    });
    expect(r).toEqual({ code: 2, err: "mixup-theory: data.csv: row 4 has 2 fields, the header has 3\n" });
  });

  it("flattens newlines in messages", async () => {
    const r = await run(async () => {
      throw new InputError("x", "first line\nsecond line\r\n  third");
    });
    expect(r).toEqual({ code: 2, err: "mixup-theory: first line second line third\n" });
  });

  it("subclasses of InputError (OverflowError) also exit 2", async () => {
    const r = await run(() => {
      throw new OverflowError(5, "row 5: the squared loss overflows");
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe("mixup-theory: row 5: the squared loss overflows\n");
  });

  it("anything else → internal error, exit 1, no stack unless MIXUP_DEBUG=1", async () => {
    const boom = () => {
      throw new TypeError("x is undefined\nat somewhere");
    };
    const r = await run(boom);
    expect(r).toEqual({ code: 1, err: "mixup-theory: internal error: x is undefined at somewhere\n" });
    const d = await run(boom, { MIXUP_DEBUG: "1" });
    expect(d.code).toBe(1);
    expect(d.err.split("\n")[0]).toBe("mixup-theory: internal error: x is undefined at somewhere");
    expect(d.err).toMatch(/TypeError: x is undefined/);
    expect(d.err.split("\n").length).toBeGreaterThan(3);
    const s = await run(() => {
      throw "a string";
    });
    expect(s).toEqual({ code: 1, err: "mixup-theory: internal error: a string\n" });
  });

  it("a bad exit code from main is an internal error", async () => {
    expect(await run(() => 1.5)).toEqual({ code: 1, err: "mixup-theory: internal error: main returned the exit code 1.5\n" });
  });
});

describe("commander errors", () => {
  function program(): Command {
    const p = new Command("mixup-theory");
    p.command("loss")
      .requiredOption("--data <file>", "CSV file")
      .option("--alpha <a>", "Beta(α, α)", asOption("--alpha", parsePositive))
      .action(() => {});
    return configureCommander(p);
  }

  it("unknown option → `mixup-theory: <commander message>`, exit 2, printed once", async () => {
    const r = await run(async () => {
      await program().parseAsync(["loss", "--data", "d.csv", "--bogus"], { from: "user" });
      return 0;
    });
    expect(r).toEqual({ code: 2, err: "mixup-theory: unknown option '--bogus'\n" });
  });

  it("missing required option and missing argument → exit 2", async () => {
    const r = await run(async () => {
      await program().parseAsync(["loss"], { from: "user" });
      return 0;
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^mixup-theory: required option '--data <file>' not specified\n$/);
    const m = await run(async () => {
      await program().parseAsync(["loss", "--data"], { from: "user" });
      return 0;
    });
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/^mixup-theory: option '--data <file>' argument missing\n$/);
  });

  it("an option parser's InputError passes through commander: exit 2 with our message", async () => {
    const r = await run(async () => {
      await program().parseAsync(["loss", "--data", "d.csv", "--alpha", "-1"], { from: "user" });
      return 0;
    });
    expect(r).toEqual({ code: 2, err: 'mixup-theory: --alpha: expected a finite number > 0, got "-1"\n' });
  });

  it("help and version exit 0 silently (commander prints them)", () => {
    expect(describeError(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"))).toEqual({ code: 0, text: null });
    expect(describeError(new CommanderError(0, "commander.version", "0.1.0"))).toEqual({ code: 0, text: null });
    expect(describeError(new CommanderError(1, "commander.help", "(outputHelp)"))).toEqual({ code: 2, text: null });
  });
});

describe("runMain", () => {
  it("returns the code instead of exiting", async () => {
    let err = "";
    const code = await runMain(
      () => {
        throw new InputError("--alpha", "--alpha: bad");
      },
      { writeErr: (s) => (err += s), env: {} },
    );
    expect(code).toBe(2);
    expect(err).toBe("mixup-theory: --alpha: bad\n");
  });
});
