import { isRudeNickname } from '../../../shared/protocol/nickname-filter.ts';

/** `n` nicknames for generated students, skipping any the class's filter refuses ("Load 455" reads rude). */
export function studentNames(n: number): string[] {
  const out: string[] = [];
  for (let k = 1; out.length < n; k++) {
    const name = `Load ${k}`;
    if (!isRudeNickname(name)) out.push(name);
  }
  return out;
}
