import { animals, colors, uniqueNamesGenerator } from 'unique-names-generator';
import { isRudeNickname } from '../../../shared/protocol/nickname-filter.ts';

/**
 * A playful nickname for a student who cannot think of one: a colour and an animal ("Amber Panda"),
 * from unique-names-generator's word lists (colours and animals only: nothing a class could snigger
 * at), minus the few the server's nickname filter would refuse ("Tan Booby" is a bird, but the filter
 * cannot know). Kept within the server's 24-character limit.
 */
export function nicknameIdea(): string {
  for (;;) {
    const name = uniqueNamesGenerator({ dictionaries: [colors, animals], separator: ' ', style: 'capital' });
    if (name.length <= 24 && !isRudeNickname(name)) return name;
  }
}
