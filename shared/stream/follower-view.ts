import type { StudentView } from '../protocol/views.ts';
import { studentView } from '../views/student-view.ts';
import type { BusinessFollower } from './business-follower.ts';

/**
 * The student's screen built from the business the browser follows, with the same view code the server
 * used to run for every student; the place (rank, how many share it, of how many: one ranking's)
 * comes from the latest proof, the headcount, the surprise schedule and the can't-save banner from the tick messages.
 */
export function followerView(f: BusinessFollower): StudentView | null {
  const state = f.state;
  const me = f.me;
  if (!state || !me) return null;
  const view = studentView(state, me, {
    paused: f.paused,
    speed: f.speed,
    hideScores: false,
    place: f.place,
  });
  return {
    ...view,
    players: f.players,
    // A schedule kept a surprise: no countdown to the next planned event.
    ...(f.scheduleHidden ? { next: null } : {}),
    ...(f.cantSave ? { cantSave: f.cantSave } : {}),
  };
}
