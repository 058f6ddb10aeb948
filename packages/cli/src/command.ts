import type { CliIo } from './io.js';

/** One `openledger <group> <verb>` command; each lives in its own file under src/commands/. */
export interface Command {
  /** Words after `openledger`, e.g. `datanet upload`. */
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<void>;
}
