import { h } from './dom.ts';

export interface Pane {
  id: string;
  label: string;
}

/**
 * A bar of buttons that picks which pane of a screen shows on a phone. It only sets `data-pane` on the
 * screen's root; the stylesheet hides the other panes below the phone breakpoint and hides the bar
 * above it, so a laptop shows every pane at once and never depends on this state.
 */
export class PaneTabs {
  readonly el: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(
    private readonly root: HTMLElement,
    panes: Pane[],
  ) {
    this.buttons = panes.map((p) =>
      h(
        'button',
        { type: 'button', 'data-tab': p.id, 'aria-pressed': 'false', onclick: () => this.show(p.id) },
        p.label,
      ),
    );
    this.el = h('nav', { class: 'pane-tabs', 'aria-label': 'Sections' }, ...this.buttons);
    this.show(panes[0]!.id);
  }

  show(id: string): void {
    this.root.dataset.pane = id;
    for (const b of this.buttons) b.setAttribute('aria-pressed', String(b.dataset.tab === id));
    window.scrollTo(0, 0);
  }
}
