import type { StudentView } from '../../../shared/protocol/views.ts';
import { clock, money, rate } from '../ui/format.ts';

/** The watched business in words: the scene's text alternative (and the what-if's). */
export function describeBusiness(v: StudentView): string {
  const open = v.me.stands.filter((s) => s.status === 'open').length;
  const broken = v.me.stands.filter((s) => s.status === 'failed').length;
  const line = v.me.stands.reduce((n, s) => n + s.line, 0);
  return (
    `${v.me.name} at ${clock(v.seconds)}: ${v.me.stands.length} stand${v.me.stands.length === 1 ? '' : 's'} (${open} open${broken ? `, ${broken} broken` : ''}), ` +
    `${v.me.loadBalancers.length} load balancer${v.me.loadBalancers.length === 1 ? '' : 's'}, ` +
    `${v.me.notebook ? 'notebook' : 'no notebook'}; ${line} in line; capacity ${rate(v.me.capacity)} cups/s for ${rate(v.demand)} customers/s; ` +
    `${v.me.available ? 'open for business' : 'DOWN: nobody can be served'}; profit ${money(v.me.results.profit)}.`
  );
}
