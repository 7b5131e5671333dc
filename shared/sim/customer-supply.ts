import type { Customer } from './state.ts';

/**
 * Customer objects made ahead of need, so that most are already in the old generation when they are
 * drawn. Why: a customer of a big room is stored into thousands of lines and blenders (`queue`,
 * `serving`), all of them old objects. Every store of a young object into an old one takes the write
 * barrier's slow path (the slot is recorded for the next scavenge), and every scavenge then visits those
 * slots and moves the customer; a 2,000-player week makes such a store at least once per customer-visit,
 * ~10 million times. A customer made a batch earlier has survived the scavenges in between (its batch
 * holds it) and is stored with no record at all.
 *
 * Only the allocation moves: drawArrivals fills in every field of the object it is given, so the
 * customers, the state and its hash are the same (the objects are never reused: a customer stays in the
 * state for as long as a line, a blender or a view holds it). What it costs: two batches of spare
 * objects per process (~1.2 MB: 8,192 objects of ~145 bytes), not per game.
 *
 * The batch size: a 2,000-player week draws ~5,400 customers, in bursts of up to ~2,000 (a stretch of
 * 500 ticks on Friday). Counted with %InYoungGeneration there: 1,024 a batch left 16% of the customers
 * young when drawn, 2,048 12%, 4,096 none.
 */
const BATCH = 4096;

/** Handed out next: made one batch ago (made at the first draw of a process, which nothing precedes). */
let ready: Customer[] = [];
/** Made at the last refill: handed out after `ready`, by which time the young generation has moved on. */
let ageing: Customer[] | null = null;
let next = 0;

function makeBatch(): Customer[] {
  const batch: Customer[] = new Array<Customer>(BATCH);
  // Fractional placeholders: the fields hold doubles from the start (the same layout as a drawn customer's).
  for (let i = 0; i < BATCH; i++)
    batch[i] = { id: -1, t: 0.5, work: 0.5, patience: 0.5, regular: -1, route: 0.5 };
  return batch;
}

/** An unused customer object, for drawArrivals to fill in (every field). */
export function blankCustomer(): Customer {
  if (next === ready.length) {
    // (Made on first use: a process, or a browser tab, that never draws a customer holds none.)
    ready = ageing ?? makeBatch();
    ageing = makeBatch();
    next = 0;
  }
  const c = ready[next]!;
  // The batch lets go of it: a customer the state no longer holds is garbage, as before.
  ready[next++] = undefined as unknown as Customer;
  return c;
}
