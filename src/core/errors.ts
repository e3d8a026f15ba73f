/**
 * Typed errors. Library code throws these; only `cli/` turns them into one stderr line and exit code 2.
 * `where` names the file, row, column or option at fault, so the message can point at it.
 */
export class InputError extends Error {
  readonly where: string;
  constructor(where: string, message: string) {
    super(message);
    this.name = "InputError";
    this.where = where;
  }
}

/** A loss value overflowed float64 (squared or Poisson loss on a huge score). `row` is 1-based data row. */
export class OverflowError extends InputError {
  readonly row: number;
  constructor(row: number, message: string) {
    super(`row ${row}`, message);
    this.name = "OverflowError";
    this.row = row;
  }
}
