/**
 * The scene's words are never drawn smaller than this on screen (CSS px). The lanes are scaled to fit
 * the screen, and their words went with them: on a 390 px phone a stand's "line 3 served 40" was 7 px.
 * A word that cannot have this size where it stands takes a shorter form, or is left out: the stands
 * table (the Details pane on a phone) says the same in the page.
 */
export const MIN_TEXT_PX = 11;

/** The scale a text of `fontSize` needs, inside a container drawn at scale `s`, to be MIN_TEXT_PX or more. */
export function readableScale(fontSize: number, s: number): number {
  return Math.max(1, MIN_TEXT_PX / (fontSize * s));
}
