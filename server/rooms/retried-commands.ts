import type { Command } from '../../shared/sim/commands.ts';
import type { LogEntry } from '../../shared/sim/game-log.ts';
import type { CommandOutcome } from './command-queue.ts';

/** Outcomes remembered per sender: a client retries its last few commands, not its whole history. */
const REMEMBERED_PER_SENDER = 256;

/**
 * Refusals that say the command did not happen for a reason that may pass (the room could not save,
 * closed, was paused): a retry must be free to apply it, so they are not remembered.
 */
const PASSING = new Set(['server-error', 'cant-save', 'unknown-room', 'game-paused', 'rate-limited']);

/** Who sent a command: its player for a player's command, else the teacher (a kick names its target). */
export function senderOf(cmd: Command): string {
  return cmd.type !== 'kick' && cmd.type !== 'join' && 'playerId' in cmd ? cmd.playerId : 'teacher';
}

/**
 * What became of each command id a room has seen, per sender, so that a command sent again after its
 * acknowledgement was lost gets the first outcome and is never applied twice. A command still in flight
 * is remembered as its pending outcome (a retry waits for the same answer). Accepted commands carry
 * their id in the log, so a room rebuilt after a crash remembers them from it (fromLog); a refusal of
 * the game's (not enough cash...) is remembered only in memory, which is safe: it changed nothing.
 */
export class RetriedCommands {
  private readonly bySender = new Map<string, Map<string, Promise<CommandOutcome>>>();

  /** The outcome of an id this sender used before (settled or still pending), if remembered. */
  recall(sender: string, id: string): Promise<CommandOutcome> | undefined {
    return this.bySender.get(sender)?.get(id);
  }

  /** Remembers a command's outcome under its id; a passing refusal is forgotten once it arrives. */
  remember(sender: string, id: string, outcome: Promise<CommandOutcome>): void {
    this.put(sender, id, outcome);
    void outcome.then((o) => {
      if (!o.ok && PASSING.has(o.error.code) && this.bySender.get(sender)?.get(id) === outcome)
        this.bySender.get(sender)!.delete(id);
    });
  }

  /** The ids of the accepted commands of a log (a room rebuilt from its log). */
  static fromLog(entries: readonly LogEntry[]): RetriedCommands {
    const r = new RetriedCommands();
    for (const e of entries)
      if (e.id !== undefined) r.put(senderOf(e.cmd), e.id, Promise.resolve({ ok: true, tick: e.tick }));
    return r;
  }

  private put(sender: string, id: string, outcome: Promise<CommandOutcome>): void {
    let ids = this.bySender.get(sender);
    if (!ids) this.bySender.set(sender, (ids = new Map()));
    ids.delete(id);
    ids.set(id, outcome);
    // Maps keep insertion order: the first key is the oldest.
    if (ids.size > REMEMBERED_PER_SENDER) ids.delete(ids.keys().next().value!);
  }
}
