import { commands } from './commands/index.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

export type { Command } from './command.js';
export type { CliIo } from './io.js';
export { CliError } from './errors.js';

function help(io: CliIo): void {
  io.stdout.write('usage: openledger <command> [options]\n\ncommands:\n');
  for (const c of commands) io.stdout.write(`  ${c.name.padEnd(16)} ${c.summary}\n      ${c.usage}\n`);
  io.stdout.write('\nenvironment: OPENLEDGER_SERVICE_URL, OPENLEDGER_RPC_URL, OPENLEDGER_PRIVATE_KEY\n');
}

/** Runs one command line; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    help(io);
    return argv.length === 0 ? 2 : 0;
  }
  const command = commands
    .filter((c) => c.name.split(' ').every((word, i) => argv[i] === word))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) {
    io.stderr.write(`error: unknown command "${argv.slice(0, 2).join(' ')}"; run openledger --help\n`);
    return 2;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(args, io);
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.stderr.write(`error: ${(err as Error).message}\nusage: ${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
