import type { PlayerAction } from '../../../shared/protocol/payloads.ts';
import type { ShopItem } from '../../../shared/protocol/views.ts';
import { h, setText } from './dom.ts';
import { money } from './format.ts';

/** What the feedback line says once the game is over (and to any tap after it: not a "Not yet"). */
const CLOSED_LINE = '🏁 The game is over: the shop is closed.';

interface Row {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  price: HTMLElement;
  effect: HTMLElement;
  why: HTMLElement;
  item: ShopItem;
}

/**
 * The shop: every purchase with its price, what it does and, when it is not possible, why. Rows are
 * updated in place (the view arrives 10 times a second) so keyboard focus never jumps. Unavailable
 * buttons stay focusable (aria-disabled) so a keyboard or screen-reader user can still hear why.
 */
export class ShopPanel {
  readonly el: HTMLElement;
  private readonly list = h('ul', { class: 'shop-list' });
  private readonly feedback = h('p', { class: 'shop-feedback', role: 'status' });
  private readonly rows = new Map<string, Row>();
  private order = '';
  /**
   * The refusal the feedback line shows ("Not yet: ..."), with the item and the reason it gave. Once the
   * reason no longer holds it is cleared: the lobby's "Not yet: the shop opens when the game starts"
   * stayed above the shop all game long.
   */
  private refusal: { id: string; why: string | null } | null = null;
  /** The game has ended: the feedback line said so once, in place of the last purchase's line. */
  private over = false;

  constructor(private readonly buy: (a: PlayerAction, label: string) => Promise<string | null>) {
    this.el = h(
      'section',
      { class: 'panel shop', 'aria-labelledby': 'shop-title' },
      h('h2', { id: 'shop-title' }, '🛒 Shop'),
      this.feedback,
      this.list,
    );
  }

  update(items: ShopItem[]): void {
    for (const item of items) {
      let row = this.rows.get(item.id);
      if (!row) row = this.makeRow(item);
      row.item = item;
      setText(row.button.querySelector('.label')!, item.label);
      setText(row.price, item.price === null ? '—' : money(item.price));
      setText(row.effect, item.effect);
      setText(row.why, item.allowed ? '' : `🔒 ${item.why ?? 'not possible now'}`);
      row.button.setAttribute('aria-disabled', String(!item.allowed));
      row.li.classList.toggle('locked', !item.allowed);
    }
    const ids = items.map((i) => i.id).join(',');
    if (ids !== this.order) {
      this.order = ids;
      for (const id of [...this.rows.keys()]) if (!items.some((i) => i.id === id)) this.rows.delete(id);
      this.list.replaceChildren(...items.map((i) => this.rows.get(i.id)!.li));
    }
    const refused = this.refusal && items.find((i) => i.id === this.refusal!.id);
    if (this.refusal && (!refused || refused.allowed || refused.why !== this.refusal.why)) this.say('', true);
  }

  private makeRow(item: ShopItem): Row {
    const price = h('span', { class: 'price' });
    const button = h(
      'button',
      {
        class: 'buy',
        'data-shop': item.id,
        'aria-describedby': `shop-why-${item.id} shop-effect-${item.id}`,
      },
      h('span', { class: 'label' }, item.label),
      price,
    );
    const effect = h('p', { class: 'effect', id: `shop-effect-${item.id}` });
    const why = h('p', { class: 'why', id: `shop-why-${item.id}` });
    const li = h(
      'li',
      { class: item.id.startsWith('sell-') ? 'shop-item sell' : 'shop-item' },
      button,
      why,
      effect,
    );
    const row: Row = { li, button, price, effect, why, item };
    button.addEventListener('click', () => {
      const it = row.item;
      if (this.over) {
        this.say(CLOSED_LINE, true);
        return;
      }
      // One purchase per button at a time. Offline, a purchase waits for the connection saying nothing,
      // and each further tap was one more purchase: three taps on "New stand" bought two stands (the
      // third refused for cash) once the connection was back.
      if (button.getAttribute('aria-busy') === 'true') {
        this.say(`⏳ ${it.label}: still waiting for the server (one tap is enough)…`, true);
        return;
      }
      if (!it.allowed) {
        this.say(`Not yet: ${it.why ?? 'not possible now'}.`, false);
        this.refusal = { id: it.id, why: it.why };
        return;
      }
      button.setAttribute('aria-busy', 'true');
      this.say(`⏳ ${it.label}…`, true);
      void this.buy(it.action, it.label).then((err) => {
        button.removeAttribute('aria-busy');
        if (this.over) this.answeredAfterTheEnd(it.label, err);
        else this.say(err ? `❌ ${err}` : `✅ ${it.label}: done!`, !err);
      });
    });
    this.rows.set(item.id, row);
    return row;
  }

  /**
   * The game is over: the feedback line says the shop is closed, once. The last purchase's "✅ Sell a
   * load balancer: done!" stayed above the shop after the game had ended, as if it still counted.
   */
  gameOver(): void {
    if (this.over) return;
    this.over = true;
    this.say(CLOSED_LINE, true);
  }

  /**
   * A purchase's answer that came in after the game ended (sent just before, or kept for the connection):
   * it replaced the closed line with "✅ New stand: done!" or "❌ The game is over". The shop stays
   * closed on screen. A refusal adds nothing (the game is over whatever the reason); a purchase the
   * server took was made before the end, and the closed line says so after its own words.
   */
  private answeredAfterTheEnd(label: string, err: string | null): void {
    this.say(err ? CLOSED_LINE : `${CLOSED_LINE} (${label}: done before the end.)`, true);
  }

  /** Writes the feedback line; any refusal it showed is replaced (refusal is set after, for one). */
  private say(text: string, ok: boolean): void {
    this.refusal = null;
    this.feedback.textContent = text;
    this.feedback.className = `shop-feedback ${ok ? 'ok' : 'bad'}`;
  }
}
