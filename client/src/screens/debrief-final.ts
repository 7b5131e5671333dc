import { collectSeries } from '../../../shared/replay/series.ts';
import { fetchLog } from '../replay/log-source.ts';
import { h } from '../ui/dom.ts';
import { debriefOf, debriefPanel } from './debrief.ts';
import type { PostmortemEntry } from '../../../shared/debrief/postmortem.ts';

/**
 * The debrief on a student's final screen: the game's log from the server, replayed in the page, told
 * as the story of this student's business. Null when there is nothing to tell it from.
 */
export async function studentDebrief(
  gameId: string,
  playerId: string,
  name: string,
  fromServer?: PostmortemEntry[],
): Promise<HTMLElement | null> {
  let panel: HTMLElement;
  if (fromServer) {
    // The server sampled the game as it ran and sent this student's debrief with the results.
    panel = debriefOf({ playerId, name, entries: fromServer }, { headingLevel: 'h3' });
  } else {
    // A big room sends none: replay the log in the page instead.
    const r = await fetchLog(gameId);
    if (!r.ok) return null;
    // Give the final screen a moment to paint before replaying the game.
    await new Promise((resolve) => window.setTimeout(resolve, 200));
    const { series } = collectSeries(r.log);
    panel = debriefPanel(r.log, playerId, series, { headingLevel: 'h3' });
  }
  panel.append(
    h(
      'p',
      {},
      h(
        'a',
        { href: `#/replay/${gameId}?player=${encodeURIComponent(playerId)}`, class: 'button-link' },
        '🎞️ Replay the game and try a what-if',
      ),
    ),
  );
  return panel;
}
