/** A user mistake: printed as `error: <field>: <message>` with exit code 2, never a stack trace. */
export class CliError extends Error {
  constructor(
    /** The flag, argument or field at fault (`--datanet`, `<file>`, `OPENLEDGER_PRIVATE_KEY`), when there is one. */
    readonly field: string | undefined,
    message: string,
    readonly exitCode = 2,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'CliError';
  }
}
