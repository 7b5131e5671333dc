import type { GameState } from '../sim/state.ts';
import type { BannerView } from '../protocol/views.ts';
import { describeEvent } from '../sim/teacher-events.ts';

const CHAOS_TEXT = {
  stand: 'Chaos: a stand crashed',
  'load-balancer': 'Chaos: a load balancer crashed',
  notebook: 'Chaos: the notebook crashed',
};

/** The most recent events (teacher, schedule and chaos), newest last. */
export function recentBanners(state: GameState, count = 5): BannerView[] {
  const out: BannerView[] = [];
  const h = state.eventHistory;
  for (let i = Math.max(0, h.length - count); i < h.length; i++) {
    const e = h[i]!;
    out.push({ tick: e.tick, kind: e.event.kind, text: describeEvent(e.event) });
  }
  const c = state.chaosHistory;
  for (let i = Math.max(0, c.length - count); i < c.length; i++) {
    out.push({ tick: c[i]!.tick, kind: 'chaos-strike', text: CHAOS_TEXT[c[i]!.target] });
  }
  out.sort((a, b) => a.tick - b.tick);
  return out.slice(-count);
}
