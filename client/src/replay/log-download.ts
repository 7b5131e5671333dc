import { h } from '../ui/dom.ts';

/**
 * The "⬇️ Log" link of an ended game in the server's list. The game may have been deleted since the list
 * was loaded (GAME_RETENTION_DAYS, a page left open): a plain download link would then save the server's
 * 410 answer as if it were the log. So a click first asks for the game's details: for a deleted game the
 * link gives way to the server's sentence; any other answer lets the download go on as before.
 */
export function logDownloadLink(gameId: string): HTMLElement {
  const link = h(
    'a',
    { href: `/api/games/${encodeURIComponent(gameId)}/log`, download: '', class: 'button-link' },
    '⬇️ Log',
  );
  /** The click after the check: the browser's own download. */
  let checked = false;
  link.addEventListener('click', (e) => {
    if (checked) {
      checked = false;
      return;
    }
    e.preventDefault();
    void deletedSentence(gameId).then((sentence) => {
      if (sentence !== null) {
        link.replaceWith(h('span', { class: 'hint', role: 'alert', 'data-testid': 'log-deleted' }, sentence));
        return;
      }
      checked = true;
      link.click();
    });
  });
  return link;
}

/** The server's sentence when the game was deleted (410), or null (there, or not known to be deleted). */
async function deletedSentence(gameId: string): Promise<string | null> {
  try {
    const res = await fetch(`/api/games/${encodeURIComponent(gameId)}`, {
      headers: { accept: 'application/json' },
    });
    if (res.status !== 410) return null;
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    return body?.error ?? 'This game was deleted from the server.';
  } catch {
    // The server out of reach: the download fails the browser's way, as it did before this check.
    return null;
  }
}
