import type { FinalResults } from '../../../shared/protocol/views.ts';
import { studentsAndBots } from '../../../shared/views/headcount.ts';
import { playerLabel } from '../../../shared/views/player-label.ts';
import { h } from '../ui/dom.ts';
import { clock, strategyText } from '../ui/format.ts';
import { debriefOf } from './debrief.ts';

/**
 * The teacher's per-student report on the results page: for each player (in rank order), their strategy,
 * what they bought when, and their debrief. Folded away by default: a class of 30 is a long page. The
 * teacher's bots are not students: they come after the students, under their own heading, each marked
 * "🤖 bot" as the leaderboard marks them (`playerLabel`) (they were listed among the students).
 */
export function studentReports(results: FinalResults): HTMLElement | null {
  const reports = results.reports;
  if (!reports || reports.length === 0) return null;
  const byId = new Map(reports.map((r) => [r.id, r]));
  const { students, bots } = studentsAndBots(results.leaderboard);
  const reportOf = (row: FinalResults['leaderboard'][number]): HTMLElement => {
    const report = byId.get(row.id);
    // The same words as the leaderboard above it ("🔀 Hybrid 🛟 redundant", not "hybrid (redundant)").
    const strategy = strategyText(row.strategy, row.badges);
    return h(
      'details',
      { class: 'student-report', 'data-report': row.name },
      h('summary', {}, `#${row.rank} ${playerLabel(row)}: ${strategy}`),
      h('h3', {}, 'Purchases'),
      report && report.purchases.length
        ? h(
            'ol',
            { class: 'report-purchases' },
            ...report.purchases.map((p) => h('li', {}, h('strong', {}, clock(p.second)), ` ${p.text}`)),
          )
        : h('p', {}, 'Bought nothing.'),
      report?.debrief
        ? debriefOf({ playerId: row.id, name: row.name, entries: report.debrief }, { headingLevel: 'h3' })
        : null,
    );
  };
  return h(
    'section',
    { class: 'panel student-reports', 'data-testid': 'student-reports' },
    h('h2', {}, '🧑‍🎓 Each student'),
    ...(students.length ? students.map(reportOf) : [h('p', {}, 'No students played: only bots.')]),
    ...(bots.length
      ? [
          h('h2', {}, `🤖 ${bots.length} bot${bots.length === 1 ? '' : 's'}`),
          h('p', { class: 'hint' }, 'Added by the teacher to compare with: not students.'),
          h('div', { 'data-testid': 'bot-reports' }, ...bots.map(reportOf)),
        ]
      : []),
  );
}
