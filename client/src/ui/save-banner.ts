import type { SaveTrouble } from '../../../shared/protocol/views.ts';

/**
 * The banner under the connection banner while the room cannot save (the views' `cantSave`): the game is
 * on hold and nothing is lost; the teacher's words also say what to do. It goes as soon as a view comes
 * without it, or the screen is left (call with undefined).
 */
export function showSaveTrouble(trouble: SaveTrouble | undefined): void {
  const el = document.getElementById('save-banner');
  if (!el) return;
  el.hidden = trouble === undefined;
  const text = trouble ? `💾 ${trouble.message}` : '';
  if (el.textContent !== text) el.textContent = text;
}
