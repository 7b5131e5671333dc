import type { GameLog } from '../sim/game-log.ts';
import type { GameState } from '../sim/state.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { describeEvent } from '../sim/teacher-events.ts';

/** Marks on a replay's timeline: what the teacher did, what the schedule did, and each purchase. */
export interface TimelineMark {
  tick: number;
  kind: 'event' | 'scheduled' | 'chaos' | 'purchase' | 'join' | 'game';
  /** The player a purchase belongs to. */
  playerId?: string;
  text: string;
}

const ITEM = {
  stand: 'a stand',
  'load-balancer': 'a load balancer',
  notebook: 'the notebook',
  'notebook-replica': 'a notebook replica',
};

export function timelineMarks(log: GameLog, final?: GameState): TimelineMark[] {
  const marks: TimelineMark[] = [];
  // Each business's stand ids in order, so a mark names a stand as the game does: #position (1-based).
  // The log holds only accepted commands, so following buys and sells here is exact.
  const standIds = new Map<string, number[]>();
  const nextId = new Map<string, number>();
  const starting = log.header.scenario.start.stands;
  const standNumber = (playerId: string, standId: number): string => {
    const at = standIds.get(playerId)?.indexOf(standId) ?? -1;
    return at >= 0 ? `#${at + 1}` : `#${standId + 1}`;
  };
  for (const { tick, cmd } of log.commands) {
    switch (cmd.type) {
      case 'event':
        marks.push({ tick, kind: 'event', text: describeEvent(cmd.event) });
        break;
      case 'buy':
        if (cmd.item === 'stand') {
          const id = nextId.get(cmd.playerId) ?? starting;
          nextId.set(cmd.playerId, id + 1);
          standIds.get(cmd.playerId)?.push(id);
        }
        marks.push({ tick, kind: 'purchase', playerId: cmd.playerId, text: `bought ${ITEM[cmd.item]}` });
        break;
      case 'upgrade':
        marks.push({
          tick,
          kind: 'purchase',
          playerId: cmd.playerId,
          text: `bigger blender for stand ${standNumber(cmd.playerId, cmd.standId)}`,
        });
        break;
      case 'sell': {
        const ids = standIds.get(cmd.playerId);
        const which =
          cmd.item === 'stand' && cmd.standId !== undefined
            ? ` ${standNumber(cmd.playerId, cmd.standId)}`
            : '';
        if (which && ids) ids.splice(ids.indexOf(cmd.standId!), 1);
        marks.push({
          tick,
          kind: 'purchase',
          playerId: cmd.playerId,
          text: which ? `sold stand${which}` : `sold ${ITEM[cmd.item]}`,
        });
        break;
      }
      case 'set-policy':
        marks.push({ tick, kind: 'purchase', playerId: cmd.playerId, text: `balancing: ${cmd.policy}` });
        break;
      case 'set-lb-mode':
        marks.push({ tick, kind: 'purchase', playerId: cmd.playerId, text: `balancers: ${cmd.mode}` });
        break;
      case 'join':
        standIds.set(
          cmd.playerId,
          Array.from({ length: starting }, (_, i) => i),
        );
        marks.push({ tick, kind: 'join', playerId: cmd.playerId, text: `${cmd.name} joined` });
        break;
      case 'start':
        marks.push({ tick, kind: 'game', text: 'game started' });
        break;
      case 'end':
        marks.push({ tick, kind: 'game', text: 'game ended by the teacher' });
        break;
      case 'kick':
        marks.push({ tick, kind: 'game', playerId: cmd.playerId, text: 'removed by the teacher' });
        break;
    }
  }
  const end = log.end?.tick ?? Infinity;
  for (const s of log.header.scenario.schedule) {
    const tick = Math.round(s.atSeconds * TICKS_PER_SECOND);
    if (tick < end) marks.push({ tick, kind: 'scheduled', text: describeEvent(s.event) });
  }
  for (const c of final?.chaosHistory ?? [])
    marks.push({ tick: c.tick, kind: 'chaos', text: `chaos: ${c.target} crashed` });
  return marks.sort((a, b) => a.tick - b.tick);
}
