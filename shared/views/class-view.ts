import { effectsLeft } from './effects-left.ts';
import type { GameState, Player } from '../sim/state.ts';
import type { ClassView, LobbyPlayer, SaveTrouble } from '../protocol/views.ts';
import { SECONDS_PER_TICK } from '../sim/constants.ts';
import { currentDemand, surgeMultiplier } from '../sim/demand.ts';
import { leaderboard, strategyComparison } from '../sim/results.ts';
import { describeEvent } from '../sim/teacher-events.ts';
import { effectiveCapacity, isAvailable } from '../sim/topology.ts';
import { recentBanners } from './banners.ts';
import { currentPhase } from './phase.ts';

export interface ClassRoomFacts {
  roomCode: string;
  paused: boolean;
  speed: number;
  locked: boolean;
  /** The teacher hides the scores (ignored once the game has ended: then every score is shown). */
  scoresHidden: boolean;
  /** The schedule is kept a surprise from the class now (the teacher still sees `upcoming`). */
  scheduleHidden?: boolean;
  /** Which players have a live connection now. */
  connected: (playerId: string) => boolean;
  /** Which players pressed Leave and have not come back. */
  left: (playerId: string) => boolean;
  /** How many leaderboard rows to send (the projector shows a top list; the teacher all). */
  leaderboardRows: number;
  /** The room cannot save (shown as a banner). */
  cantSave?: SaveTrouble;
}

/** The teacher's and projector's screen: class summary, leaderboard, strategies, what is coming. */
export function classView(state: GameState, room: ClassRoomFacts): ClassView {
  const sc = state.scenario;
  const board = leaderboard(state);
  const tick = state.tick;
  let active = 0;
  let capacity = 0;
  let available = 0;
  const players: LobbyPlayer[] = [];
  for (const p of state.players) {
    if (!p.removed) {
      active++;
      capacity += effectiveCapacity(sc, p, tick);
      if (isAvailable(p, tick)) available++;
    }
    players.push(lobbyPlayer(p, room));
  }
  let served = 0;
  let lost = 0;
  for (const r of board) {
    served += r.served;
    lost += r.lost.total;
  }
  const demand = currentDemand(state);
  const seconds = state.tick * SECONDS_PER_TICK;
  return {
    roomCode: room.roomCode,
    scenario: { id: sc.id, name: sc.name, description: sc.description, phases: sc.phases },
    tick: state.tick,
    seconds,
    durationSeconds: sc.durationSeconds,
    status: state.status,
    paused: room.paused,
    speed: room.speed,
    locked: room.locked,
    scoresHidden: room.scoresHidden && state.status !== 'ended',
    scheduleHidden: room.scheduleHidden === true,
    phase: currentPhase(state),
    demand,
    surge: surgeMultiplier(state),
    players,
    leaderboard: board.length > room.leaderboardRows ? board.slice(0, room.leaderboardRows) : board,
    strategies: strategyComparison(board),
    totals: {
      demand: demand * active,
      capacity,
      served,
      lost,
      playersAvailable: available,
      players: active,
    },
    upcoming: upcoming(state, seconds),
    banners: recentBanners(state),
    ...(room.cantSave ? { cantSave: room.cantSave } : {}),
    left: effectsLeft(state),
  };
}

/** A player as the class's lobby list shows them (one shape for every row). */
function lobbyPlayer(p: Player, room: ClassRoomFacts): LobbyPlayer {
  const connected = p.bot !== null || room.connected(p.id);
  return {
    id: p.id,
    name: p.name,
    bot: p.bot,
    connected,
    presence: connected && !p.removed ? 'online' : p.removed || room.left(p.id) ? 'gone' : 'away',
    removed: p.removed,
  };
}

/** The next 8 scheduled events not yet due. */
function upcoming(state: GameState, seconds: number): { atSeconds: number; text: string }[] {
  const schedule = state.scenario.schedule;
  const out: { atSeconds: number; text: string }[] = [];
  for (let i = state.scheduleIndex; i < schedule.length && out.length < 8; i++) {
    const e = schedule[i]!;
    if (e.atSeconds >= seconds) out.push({ atSeconds: e.atSeconds, text: describeEvent(e.event) });
  }
  return out;
}
