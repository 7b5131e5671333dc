/**
 * "Skip to content" points at #main, but the app's routes live in the hash: following the link made
 * the route "main", which does not exist, and the router sent the person to the landing page (a
 * student mid-game too). The link moves the focus to the content and leaves the address alone.
 */
export function keepSkipLinkInPage(): void {
  document.querySelector<HTMLAnchorElement>('a.skip-link')?.addEventListener('click', (ev) => {
    ev.preventDefault();
    document.getElementById('main')?.focus();
  });
}
