import type { Command } from '../sim/commands.ts';
import type { LogEntry } from '../sim/game-log.ts';
import { ROOM_WIDE_COMMANDS } from '../protocol/tick-stream.ts';

const roomWide = new Set<string>(ROOM_WIDE_COMMANDS);

/** Whether a command reaches every business of the room (start, end, teacher events). */
export function isRoomWide(cmd: Command): boolean {
  return roomWide.has(cmd.type);
}

/** The player a command belongs to, or null for a room-wide one. */
export function commandOwner(cmd: Command): string | null {
  return 'playerId' in cmd ? cmd.playerId : null;
}

/**
 * The log of one business: the room-wide entries and this player's own. Businesses never interact, so
 * folding this alone gives the business exactly as the whole room's fold has it (test/unit/separability).
 */
export function businessLog(entries: readonly LogEntry[], playerId: string): LogEntry[] {
  return entries.filter((e) => isRoomWide(e.cmd) || commandOwner(e.cmd) === playerId);
}
