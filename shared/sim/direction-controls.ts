/**
 * Characters that change the direction of text: they can make "Ada" display as something else, hide
 * part of a name, or make a class name and the date beside it read differently. Names typed for others
 * to see (nicknames, class names) refuse them; what was stored before they were refused loses them.
 */
const DIRECTION_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The check and message a typed name's schema refines with, stated once; `what` ("a class name") starts
 * the message where the field's path alone would not say it.
 */
export function refusingDirectionControls(what = ''): [(s: string) => boolean, string] {
  return [
    (s) => s.search(DIRECTION_CONTROLS) < 0,
    `${what ? `${what} ` : ''}must not contain text-direction control characters`,
  ];
}

/** `s` without its direction controls (a name stored before they were refused). */
export function withoutDirectionControls(s: string): string {
  return s.replace(DIRECTION_CONTROLS, '');
}
