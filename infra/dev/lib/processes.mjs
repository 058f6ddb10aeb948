// Child processes of the dev stack: each in its own process group (so a Ctrl-C reaches the
// orchestrator only, which then stops them in reverse start order), output prefixed and logged to a
// file, readiness awaited over HTTP, and a synchronous kill on any exit of the orchestrator.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const COLORS = [36, 35, 33, 32, 34, 31, 96, 95];

export class ProcessGroup {
  constructor({ logDir, quiet = false }) {
    this.logDir = logDir;
    this.quiet = quiet;
    this.children = [];
    this.stopping = false;
    mkdirSync(logDir, { recursive: true });
    // Last resort: the orchestrator is exiting (error, second Ctrl-C); leave no orphans behind.
    process.on('exit', () => {
      for (const child of this.children) killGroup(child.process, 'SIGKILL');
    });
  }

  /**
   * Starts `command` and returns a handle; `onExit` is called if it dies while the stack runs. Output
   * goes to `<logDir>/<name>.log` and, with `echo` and unless quiet, to the console with a prefix.
   */
  start(name, command, args, { cwd, env, onExit, echo = true } = {}) {
    const color = COLORS[this.children.length % COLORS.length];
    const log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    // A log file that cannot be written (disk full, folder removed) must not take the stack down:
    // the output still reaches the console and the exit tail.
    log.on('error', (err) => {
      if (!this.quiet) process.stderr.write(`${name}: log file unavailable (${err.message})\n`);
    });
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `\x1b[${color}m${name.padEnd(18)}\x1b[0m| `;
    let tail = '';
    const forward = (stream) => {
      let partial = '';
      stream.on('data', (chunk) => {
        log.write(chunk);
        tail = (tail + chunk.toString()).slice(-4000);
        if (this.quiet || !echo) return;
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(prefix + line + '\n');
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    // 'close' comes after the output pipes are drained (and after 'exit'); the log file is complete once
    // its own stream has closed (or failed).
    const closed = new Promise((resolveClose) => child.once('close', () => {
      log.once('close', resolveClose);
      log.once('error', resolveClose);
      log.end();
    }));
    const exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        resolveExit({ code, signal });
        if (!this.stopping && !handle.stopping && onExit) {
          // report with the complete output (its last lines usually say why)
          void Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]).then(() => onExit({ code, signal, tail }));
        }
      });
      child.once('error', (error) => {
        tail += `\n${error.message}`;
        resolveExit({ code: -1, signal: null });
        if (!this.stopping && !handle.stopping && onExit) onExit({ code: -1, signal: null, tail });
      });
    });
    const handle = { name, process: child, exited, closed, tail: () => tail, stopping: false };
    this.children.push(handle);
    return handle;
  }

  /** Stops every child, last started first: SIGTERM to its group, SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000) {
    this.stopping = true;
    for (const handle of [...this.children].reverse()) {
      await stopHandle(handle, graceMs);
    }
    this.children = [];
  }
}

export async function stopHandle(handle, graceMs = 10_000) {
  handle.stopping = true;
  const child = handle.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await handle.exited;
  clearTimeout(timer);
  // The leader is gone; what it left in its group (a wrapper's real binary still saving its state, a
  // grandchild) gets the rest of the grace period, then SIGKILL: no orphans.
  const deadline = Date.now() + graceMs;
  while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(child.pid)) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await Promise.race([handle.closed, new Promise((r) => setTimeout(r, 2000))]);
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child, signal) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves when `probe()` returns true; rejects after `timeoutMs` or as soon as `handle` exits. */
export async function waitFor(what, probe, { timeoutMs = 120_000, intervalMs = 250, handle } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    if (handle && (handle.process.exitCode !== null || handle.process.signalCode !== null)) {
      throw new Error(`${what}: process exited (${handle.process.exitCode ?? handle.process.signalCode}):\n${handle.tail().trim().slice(-2000)}`);
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not ready after ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when GET `url` answers 2xx. */
export async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return response.ok;
}

/** One JSON-RPC call. */
export async function rpc(rpcUrl, method, params = []) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
