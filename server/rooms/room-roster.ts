import type { AckError } from '../../shared/protocol/errors.ts';
import { nameKey } from '../../shared/protocol/name-key.ts';
import { shownName } from '../../shared/views/player-label.ts';
import type { GameStatus } from '../../shared/sim/state.ts';
import type { StoredPlayer } from '../storage/store.ts';
import { refusal } from './ack-error.ts';
import { hashToken, newPlayerId, newPlayerToken } from './tokens.ts';

/** A seat in the room: who holds it (by token hash), and whether it is still theirs. */
export interface RosterEntry {
  id: string;
  name: string;
  tokenHash: string;
  kicked: boolean;
  bot: boolean;
  /**
   * The student pressed Leave (and no connection of theirs is left): the business is unclaimed, and the
   * same nickname takes it back. Kept in memory only: after a restart a student who left shows as away.
   */
  left: boolean;
}

/** A join let in but not yet durable: its seat and token, held until the command is acknowledged or refused. */
export interface JoinTicket {
  player: RosterEntry;
  token: string;
  /** The join was refused or failed: the nickname and the seat are free again. */
  cancel(): void;
  /** The join is durable: the player is in the room. */
  confirm(): void;
}

/**
 * Who may act in a room: the teacher's token, the players with their tokens (only hashes are kept),
 * nicknames taken, the room's lock, and who is let in. Knows nothing of the game beyond its status.
 */
export class RoomRoster {
  private readonly players = new Map<string, RosterEntry>();
  private readonly byToken = new Map<string, RosterEntry>();
  /** Nicknames taken (including joins in flight), by comparison key. */
  private readonly names = new Set<string>();
  private pendingJoins = 0;
  locked = false;

  constructor(
    readonly teacherTokenHash: string,
    private readonly limits: { maxPlayers: number; lateJoin: boolean },
  ) {}

  get size(): number {
    return this.players.size;
  }

  add(p: RosterEntry): void {
    this.players.set(p.id, p);
    this.byToken.set(p.tokenHash, p);
    if (!p.kicked) for (const key of nameKeys(p)) this.names.add(key);
  }

  /** A stored player back in the roster (a recovered room). */
  restore(p: StoredPlayer, bot: boolean): void {
    this.add({ id: p.playerId, name: p.name, tokenHash: p.tokenHash, kicked: p.kicked, bot, left: false });
  }

  get(playerId: string): RosterEntry | undefined {
    return this.players.get(playerId);
  }

  isTeacherToken(token: string): boolean {
    return hashToken(token) === this.teacherTokenHash;
  }

  /** The player holding this token, or why not. */
  byPlayerToken(
    token: string,
  ): { ok: true; playerId: string; name: string } | { ok: false; error: AckError } {
    const p = this.byToken.get(hashToken(token));
    if (!p || p.bot) return refusal('bad-token', 'This player token does not belong to this room.');
    if (p.kicked) return refusal('kicked', 'The teacher removed you from this game.');
    return { ok: true, playerId: p.id, name: p.name };
  }

  /** The business its student left under this nickname (compared as join compares), if there is one. */
  unclaimed(nickname: string): RosterEntry | undefined {
    const key = nameKey(nickname);
    for (const p of this.players.values())
      if (p.left && !p.kicked && !p.bot && nameKey(p.name) === key) return p;
    return undefined;
  }

  /** The student came back by nickname: their new token replaces the old one, which stops working. */
  reclaim(p: RosterEntry, tokenHash: string): void {
    this.byToken.delete(p.tokenHash);
    p.tokenHash = tokenHash;
    p.left = false;
    this.byToken.set(tokenHash, p);
  }

  isActivePlayer(playerId: string): boolean {
    const p = this.players.get(playerId);
    return p !== undefined && !p.kicked && !p.bot;
  }

  /** Lets a nickname in (holding its seat and name until the join settles), or says why not. */
  admit(
    nickname: string,
    status: GameStatus,
  ): { ok: true; ticket: JoinTicket } | { ok: false; error: AckError } {
    if (status === 'ended') return refusal('game-ended', 'This game has ended.');
    if (this.locked) return refusal('room-locked', 'The teacher has locked this room.');
    if (status === 'running' && !this.limits.lateJoin)
      return refusal('late-join-closed', 'This game has started and does not take late players.');
    let humans = 0;
    for (const p of this.players.values()) if (!p.bot && !p.kicked) humans++;
    if (humans + this.pendingJoins >= this.limits.maxPlayers)
      return refusal('room-full', `This room is full (${this.limits.maxPlayers} players).`);
    const key = nameKey(nickname);
    if (this.names.has(key))
      return refusal(
        'nickname-taken',
        `Someone in this room is already called "${nickname}". Pick another nickname.`,
      );

    this.names.add(key);
    this.pendingJoins++;
    const token = newPlayerToken();
    const player: RosterEntry = {
      id: newPlayerId(),
      name: nickname,
      tokenHash: hashToken(token),
      kicked: false,
      bot: false,
      left: false,
    };
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.pendingJoins--;
    };
    return {
      ok: true,
      ticket: {
        player,
        token,
        confirm: () => {
          settle();
          this.add(player);
        },
        cancel: () => {
          settle();
          this.names.delete(key);
        },
      },
    };
  }

  /** The player is out: their nickname is free again. */
  kick(p: RosterEntry): void {
    p.kicked = true;
    for (const key of nameKeys(p)) this.names.delete(key);
  }
}

/**
 * The nicknames a player takes: their name, and a bot's also as the lists show it ("Hybrid Hal" for
 * "Bot: Hybrid Hal"), or a student could sit beside the bot under the name the class sees for it.
 */
function nameKeys(p: { name: string; bot: boolean }): string[] {
  const shown = shownName(p);
  return shown === p.name ? [nameKey(p.name)] : [nameKey(p.name), nameKey(shown)];
}
