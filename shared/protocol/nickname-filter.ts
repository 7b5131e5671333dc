import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';

/**
 * Rude nicknames, by the maintained English dataset of the `obscenity` library (with its recommended
 * transformers: l33t speak, repeated letters, mixed case; and its whitelist, so "Scunthorpe", "Assassin"
 * or "Cocktail" pass). Pure: the server checks at join, and the client could check as the student types.
 */
const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

export function isRudeNickname(nickname: string): boolean {
  return matcher.hasMatch(nickname);
}
