import type { ClassView, StudentView } from '../../../shared/protocol/views.ts';
import type { NowFact } from './banner-strip.ts';
import { clock } from './format.ts';

/**
 * What is going on right now, read from a view's current state (not from the event list), so it ends
 * when the event does, with a countdown (the view's `left`: surge, sale, rent rise; a stand's repair).
 */
export function studentNow(v: StudentView): NowFact[] {
  if (v.status !== 'running') return [];
  const out: NowFact[] = [];
  if (v.surge > 1)
    out.push({ kind: 'surge', text: `Now: surge, x${v.surge} customers${untilEnd(v.left.surge)}` });
  for (const s of v.me.stands) {
    if (s.status === 'failed')
      out.push({
        kind: 'stand-outage',
        text: `Now: stand #${s.number} is broken, repaired in ${Math.ceil(s.secondsLeft)} s`,
      });
  }
  const lbDown = v.me.loadBalancers.filter((lb) => !lb.up).length;
  if (lbDown)
    out.push({ kind: 'lb-outage', text: `Now: ${lbDown} load balancer${lbDown > 1 ? 's' : ''} down` });
  if (v.me.notebook && !v.me.notebook.up)
    out.push({ kind: 'notebook-outage', text: 'Now: the notebook is down' });
  if (v.salePercent)
    out.push({ kind: 'sale', text: `Now: sale, ${v.salePercent}% off in the shop${untilEnd(v.left.sale)}` });
  if (v.rentMultiplier > 1)
    out.push({ kind: 'rent-rise', text: `Now: rent x${v.rentMultiplier}${untilEnd(v.left.rentRise)}` });
  // The teacher's plan: the next scheduled event, with a countdown (none while the teacher keeps it a
  // surprise: the view's `next` is null then, shared/stream/follower-view.ts).
  if (v.next)
    out.push({
      kind: 'announce',
      text: `Next, in ${clock(Math.ceil(v.next.atSeconds - v.seconds))}: ${v.next.text}`,
    });
  return out;
}

/** " · 0:12 left" (rounded up: it never says 0:00 while the event is still on). */
function untilEnd(secondsLeft: number | null): string {
  return secondsLeft === null ? '' : ` · ${clock(Math.ceil(secondsLeft))} left`;
}

export function classNow(v: ClassView): NowFact[] {
  if (v.status !== 'running') return [];
  const out: NowFact[] = [];
  if (v.surge > 1)
    out.push({ kind: 'surge', text: `Now: surge, x${v.surge} customers${untilEnd(v.left.surge)}` });
  // A count withheld (null: the projector's view while scores are hidden) says nothing.
  const open = v.totals.playersAvailable;
  const closed = open === null ? 0 : v.totals.players - open;
  if (closed > 0)
    out.push({
      kind: 'stand-outage',
      text: `Now: ${closed} business${closed > 1 ? 'es' : ''} closed (nobody served)`,
    });
  // The teacher's plan: the next scheduled event, with a countdown.
  // One due this very second is already the live banner.
  const next = v.upcoming.find((u) => u.atSeconds > v.seconds);
  if (next)
    out.push({
      kind: 'announce',
      text: `Next, in ${clock(Math.ceil(next.atSeconds - v.seconds))}: ${next.text}`,
    });
  return out;
}
