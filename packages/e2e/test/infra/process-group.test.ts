import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM module without types
import { ProcessGroup, waitFor } from '../../../../infra/dev/lib/processes.mjs';

/** Running (not gone, not a zombie waiting for a reaper). */
const alive = (pid: number) => {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid does not exist
  }
};
const groupMembers = (pgid: number) =>
  execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([pid]) => pid!);

describe('dev stack process group', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'stack-pg-'));
  afterAll(() => rmSync(logDir, { recursive: true, force: true }));

  it('stops every child and its own children (no orphans), last started first, and logs their output', async () => {
    const group = new ProcessGroup({ logDir, quiet: true });
    const exits: string[] = [];
    const first = group.start('first', 'sh', ['-c', 'echo first up; sleep 300 & sleep 300 & wait'], { onExit: () => exits.push('first') });
    const second = group.start('second', 'sh', ['-c', "trap 'echo second got TERM; exit 0' TERM; echo second up; while :; do sleep 0.1; done"], {
      onExit: () => exits.push('second'),
    });
    await waitFor('children', async () => groupMembers(first.process.pid).length >= 3 && readFileSync(join(logDir, 'second.log'), 'utf8').includes('up'), { timeoutMs: 10_000 });
    const members = groupMembers(first.process.pid);
    expect(members.length).toBeGreaterThanOrEqual(3); // sh + two sleeps
    await group.stopAll(5_000);
    expect(members.filter(alive)).toEqual([]);
    expect(alive(second.process.pid)).toBe(false);
    expect(readFileSync(join(logDir, 'second.log'), 'utf8')).toContain('second got TERM');
    expect(exits).toEqual([]); // stopping on purpose is not an unexpected exit
  });

  it('reports a child that dies on its own', async () => {
    const group = new ProcessGroup({ logDir, quiet: true });
    const died = new Promise<{ code: number; tail: string }>((resolve) => {
      group.start('crasher', 'sh', ['-c', 'echo boom >&2; exit 3'], { onExit: resolve });
    });
    const { code, tail } = await died;
    expect(code).toBe(3);
    expect(tail).toContain('boom');
    await group.stopAll();
    expect(readFileSync(join(logDir, 'crasher.log'), 'utf8')).toContain('boom');
  });
});
