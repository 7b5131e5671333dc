/**
 * Keyboard hints ("Keys: Space play/pause…", the console's "1–8 fire the events") are hidden on a touch
 * screen, where fingers have no such keys; a tablet with a keyboard then never saw them. The page says
 * it has seen a keyboard with the class `keyboard-seen` on <html> once a key is pressed outside a text
 * field, and the stylesheet shows the hints again on touch screens from then on (for as long as the
 * page is open). Typing in a text field does not count: an on-screen keyboard sends keydowns there too.
 */
const SEEN_CLASS = 'keyboard-seen';

/** Fields an on-screen keyboard types into; a range or a button takes keys only from a real keyboard. */
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'number', 'password', 'tel', 'url']);

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.getAttribute('type') ?? '');
}

/** Keys a phone's own buttons send, not a keyboard's. */
const HARDWARE_BUTTONS = /^(Audio|Media|Volume|Power|Camera|Brightness)/;

/** Called once at start-up: watches keydowns until the first one that shows a keyboard. */
export function watchForKeyboard(): void {
  const onKey = (e: KeyboardEvent): void => {
    // A virtual keyboard's composing keys say "Unidentified" (Android's keyCode 229); a phone's volume and
    // media buttons may reach the page as keys ("AudioVolumeUp", "MediaPlayPause") and show no keyboard.
    if (e.isComposing || e.key === 'Unidentified' || HARDWARE_BUTTONS.test(e.key) || isTextEntry(e.target))
      return;
    document.documentElement.classList.add(SEEN_CLASS);
    document.removeEventListener('keydown', onKey, true);
  };
  document.addEventListener('keydown', onKey, true);
}
