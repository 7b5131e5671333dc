import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessGuard, type GuardedProcess } from '../../server/process-guard.ts';
import type { Logger } from '../../server/logging.ts';
import { StoreWriteError } from '../../server/storage/store-errors.ts';

function fakes() {
  const lines: { level: string; msg: string }[] = [];
  const log = (level: string) => (_o: object, msg: string) => lines.push({ level, msg });
  const logger = { error: log('error'), fatal: log('fatal') } as unknown as Logger;
  const exits: number[] = [];
  const proc = Object.assign(new EventEmitter(), { exit: (c: number) => exits.push(c) });
  return { lines, logger, exits, proc: proc as unknown as GuardedProcess & EventEmitter };
}

describe('the process guard', () => {
  it('logs an uncaught exception or rejection and keeps the process running', () => {
    const { lines, logger, exits, proc } = fakes();
    installProcessGuard(logger, { proc });
    proc.emit('uncaughtException', new Error('one request went wrong'), 'uncaughtException');
    proc.emit('unhandledRejection', new Error('a promise nobody awaited'));
    expect(exits).toEqual([]);
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
  });

  it('exits when uncaught exceptions keep coming (more than maxPerMinute in a minute)', () => {
    const { lines, logger, exits, proc } = fakes();
    let t = 0;
    installProcessGuard(logger, { proc, maxPerMinute: 3, now: () => t });
    for (let i = 0; i < 3; i++) proc.emit('uncaughtException', new Error(`e${i}`), 'uncaughtException');
    t = 61_000; // the first three are more than a minute old
    for (let i = 0; i < 3; i++) proc.emit('uncaughtException', new Error(`f${i}`), 'uncaughtException');
    expect(exits).toEqual([]);
    proc.emit('uncaughtException', new Error('g'), 'uncaughtException');
    expect(exits).toEqual([1]);
    expect(lines.at(-1)!.level).toBe('fatal');
  });

  it('never exits for store write failures (a full disk fails every room at once)', () => {
    const { logger, exits, proc } = fakes();
    installProcessGuard(logger, { proc, maxPerMinute: 3, now: () => 0 });
    for (let i = 0; i < 50; i++)
      proc.emit('uncaughtException', new StoreWriteError('full', 'the disk is full'), 'uncaughtException');
    expect(exits).toEqual([]);
  });
});
