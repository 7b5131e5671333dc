import { remove as latinLookalikes } from 'confusables';

/**
 * Characters that draw nothing (zero-width spaces and joiners, word joiners, soft hyphens, the byte order
 * mark, variation selectors...): Unicode's Default_Ignorable_Code_Point. A nickname keeps the joiners and
 * selectors that build emoji, but they never count when names are compared.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * What two nicknames are compared by: the same key means "this name is taken". NFKC folds compatibility
 * forms (full-width "Ａｄａ", mathematical "𝐀𝐝𝐚") into plain letters; invisible characters are dropped;
 * the `confusables` library maps look-alikes from other scripts to Latin (Cyrillic "Аda", Cherokee "ᎪᏧа");
 * case and runs of spaces are ignored. A key is for comparing only, never for display.
 */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').replace(INVISIBLE, '');
  return latinLookalikes(folded).normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
