/**
 * Routes live in the hash (#/join/ABCD) so any static server can serve the client; a real path
 * (/join/ABCD) works too when the server falls back to index.html, and is moved into the hash.
 */
export type Cleanup = () => void;
export type Screen = (root: HTMLElement, params: Record<string, string>) => Cleanup | void;

interface Route {
  pattern: RegExp;
  keys: string[];
  load: () => Promise<Screen>;
}

const routes: Route[] = [];

export function route(path: string, load: () => Promise<Screen>): void {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' +
      path.replace(/:([a-z]+)/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
      }) +
      '/?$',
  );
  routes.push({ pattern, keys, load });
}

export function navigate(path: string): void {
  if (location.hash === `#${path}`) void render();
  else location.hash = path;
}

export function currentPath(): string {
  return location.hash.replace(/^#/, '') || '/';
}

let cleanup: Cleanup | void;
let generation = 0;

async function render(): Promise<void> {
  const gen = ++generation;
  const path = currentPath().split('?')[0]!;
  const root = document.getElementById('main')!;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
    const screen = await r.load();
    if (gen !== generation) return;
    if (cleanup) cleanup();
    root.replaceChildren();
    root.className = '';
    cleanup = screen(root, params);
    root.focus({ preventScroll: true });
    // A new screen starts at its top: the window kept the last one's scroll, so the console opened
    // below its room code and Start button (Create the room sits at the foot of the long host form).
    window.scrollTo(0, 0);
    return;
  }
  navigate('/');
}

export function startRouter(): void {
  if (location.pathname !== '/' && !location.hash) {
    // Path-style link (e.g. a QR code to /join/ABCD): keep one URL shape inside the app.
    history.replaceState(null, '', `/#${location.pathname}${location.search}`);
  }
  window.addEventListener('hashchange', () => void render());
  void render();
}
