import { builtInScenario } from '../../../shared/scenarios/index.ts';
import { createGame } from '../../../shared/sim/create.ts';
import { step } from '../../../shared/sim/step.ts';
import { tryCommand, findPlayer } from '../../../shared/sim/apply-command.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';
import { leaderboard, strategyComparison, playerResults } from '../../../shared/sim/results.ts';
import { studentView } from '../../../shared/views/student-view.ts';
import type { GameState } from '../../../shared/sim/state.ts';
import type { StudentLink } from './student-link.ts';
import type { FinalResults, StudentView } from '../../../shared/protocol/views.ts';
import type { Place } from '../../../shared/views/rank-sharing.ts';

/** Practice is played alone: first of one. */
const ALONE: Place = { rank: 1, shared: 1, of: 1 };

/**
 * Practice mode: the same simulation the server runs, in the page, for one player. It is also how the
 * student screen can be worked on without a server. Commands go through the simulation's own
 * validation, exactly as on the server.
 */
export function practiceLink(scenarioId = 'lemonade-week', speed = 1): StudentLink {
  const scenario = builtInScenario(scenarioId)!;
  const state: GameState = createGame(scenario, (Date.now() >>> 0) % 0xffffffff);
  const id = 'me';
  tryCommand(state, { type: 'join', playerId: id, name: 'Practice', bot: null });
  tryCommand(state, { type: 'start' });
  let onView: ((v: StudentView) => void) | undefined;
  let onEnded: ((r: FinalResults) => void) | undefined;
  let ended = false;
  const send = (): void => {
    const p = findPlayer(state, id)!;
    onView?.(studentView(state, p, { paused: false, speed, hideScores: false, place: ALONE }));
  };
  const timer = window.setInterval(() => {
    if (state.status !== 'running') return;
    for (let i = 0; i < speed; i++) step(state);
    send();
    if ((state.status as string) === 'ended' && !ended) {
      ended = true;
      const board = leaderboard(state);
      onEnded?.({
        leaderboard: board,
        strategies: strategyComparison(board),
        me: { ...playerResults(state, findPlayer(state, id)!), rank: 1 },
        hash: 'practice',
        gameId: 'practice',
      });
    }
  }, 1000 / TICKS_PER_SECOND);
  return {
    onView: (cb) => {
      onView = cb;
      send();
    },
    onEnded: (cb) => (onEnded = cb),
    onGone: () => {},
    onAway: () => {}, // practice pauses with the page: nobody is ever away
    act: async (action) => {
      const r = tryCommand(state, { ...action, playerId: id });
      send();
      return r.ok
        ? { ok: true, tick: state.tick }
        : { ok: false, error: { code: r.reason, message: r.message } };
    },
    close: () => window.clearInterval(timer),
  };
}
