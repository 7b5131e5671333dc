import type { StudentView } from '../../../shared/protocol/views.ts';
import type { BusinessScene } from '../render/business-scene.ts';
import { describeBusiness } from '../replay/replay-text.ts';
import { BannerStrip } from '../ui/banner-strip.ts';
import { h, setText } from '../ui/dom.ts';
import { clock } from '../ui/format.ts';
import { placeText } from '../ui/rank-text.ts';
import { Hud } from '../ui/hud.ts';
import { studentNow } from '../ui/now-facts.ts';
import { StandTable } from '../ui/stand-table.ts';

/**
 * The watched business, drawn by the same scene, HUD, banners and stand table as a student's screen,
 * and beside it, while a what-if is shown, the forked business's scene. The pixi scenes load on
 * demand; the browser tests' hook (window.__lemonscale) stays on the main scene.
 */
export class WatchedBusiness {
  readonly hud = new Hud();
  readonly table = new StandTable({ livePause: false });
  readonly title = h('h2', { class: 'biz-name', 'data-testid': 'replay-biz' });
  readonly scenes: HTMLElement;
  readonly bannerSlot: HTMLElement;
  private banners = new BannerStrip();
  private readonly summary = h('p', {
    class: 'scene-text',
    'aria-live': 'polite',
    'data-testid': 'replay-summary',
  });
  private readonly sceneHost = h('div', { class: 'scene', 'data-testid': 'scene' });
  private readonly forkHost = h('div', { class: 'scene', 'data-testid': 'fork-scene' });
  private readonly forkTitle = h('h3', { class: 'scene-label' }, 'What-if');
  private readonly forkSummary = h('p', { class: 'scene-text', 'data-testid': 'fork-summary' });
  private readonly forkBox: HTMLElement;
  private readonly mainLabel = h('h3', { class: 'scene-label', hidden: true }, 'As played');
  private scene: BusinessScene | null = null;
  private forkScene: BusinessScene | null = null;
  /** The fork the second scene is loading or showing (a newer fork cancels an older one's load). */
  private forkShown: object | null = null;
  private mainHook: Window['__lemonscale'];
  private lastSummary = '';
  private closed = false;
  private readonly sceneModule = import('../render/business-scene.ts');

  /** `onReady`: the main scene has started (draw the moment now); `onResized`: the scenes' boxes changed. */
  constructor(
    private readonly onReady: () => void,
    private readonly onResized: () => void,
  ) {
    this.bannerSlot = h('div', {}, this.banners.el);
    this.forkBox = h(
      'div',
      { class: 'fork-column', hidden: true },
      this.forkTitle,
      this.forkHost,
      this.forkSummary,
    );
    this.scenes = h(
      'div',
      { class: 'replay-scenes' },
      h('div', { class: 'main-column' }, this.mainLabel, this.sceneHost, this.summary),
      this.forkBox,
    );
    void this.sceneModule
      .then((m) => m.BusinessScene.create(this.sceneHost))
      .then((s) => {
        if (this.closed) return s.destroy();
        this.scene = s;
        this.mainHook = window.__lemonscale;
        this.onReady();
      })
      .catch((err: unknown) => {
        this.sceneHost.append(
          h(
            'p',
            { class: 'scene-error' },
            `The picture could not start (${String(err)}). The tables still work.`,
          ),
        );
      });
  }

  /** Going back in time: banners already shown must be able to show again. */
  rewound(): void {
    this.banners = new BannerStrip();
    this.bannerSlot.replaceChildren(this.banners.el);
  }

  /** The watched business at this moment; `playing`: the spoken summary waits for a pause. */
  show(v: StudentView, playing: boolean): void {
    this.scene?.update(v);
    this.hud.update(v);
    this.banners.update(v.banners, studentNow(v), v.tick);
    this.table.update(v);
    setText(this.title, `🍋 ${v.me.name}'s Lemonade${v.place ? ` · ${placeText(v.place)}` : ''}`);
    const text = describeBusiness(v);
    // The text mirror changes every frame while playing; a listener hears it when paused.
    if (!playing || text.split(';')[0] !== this.lastSummary.split(';')[0]) this.summary.textContent = text;
    this.lastSummary = text;
  }

  /** The watched player is not in the game yet at this moment. */
  showNotJoined(name: string, seconds: number): void {
    setText(this.title, `🍋 ${name} has not joined yet at ${clock(seconds)}`);
    setText(this.summary, `${name} has not joined yet.`);
  }

  showFork(v: StudentView): void {
    this.forkScene?.update(v);
    setText(this.forkSummary, describeBusiness(v));
  }

  /** Two scenes side by side (a what-if forked at `atSeconds`), or back to one (null). */
  setFork(fork: { atSeconds: number } | null): void {
    this.forkScene?.destroy();
    this.forkScene = null;
    this.forkShown = fork;
    window.__lemonscale = this.mainHook;
    this.forkBox.hidden = fork === null;
    this.mainLabel.hidden = fork === null;
    this.onResized();
    if (!fork) return;
    setText(this.forkTitle, `What-if (forked at ${clock(fork.atSeconds)})`);
    void this.sceneModule
      .then((m) => m.BusinessScene.create(this.forkHost))
      .then((s) => {
        // The tests' hook stays on the main scene.
        window.__lemonscale = this.mainHook;
        if (this.closed || this.forkShown !== fork) return s.destroy();
        this.forkScene = s;
        this.onResized();
      })
      .catch(() =>
        this.forkHost.append(h('p', { class: 'scene-error' }, 'The second picture could not start.')),
      );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  destroy(): void {
    this.closed = true;
    this.forkScene?.destroy();
    window.__lemonscale = this.mainHook;
    this.scene?.destroy();
  }
}
