import type { GameState, Player, Stand } from './state.ts';
import { commandSchema, refuse, type Command, type CommandResult, type PlayerCommand } from './commands.ts';
import { MAX_LOAD_BALANCERS, MAX_STANDS, SECONDS_PER_TICK, TICKS_PER_SECOND } from './constants.ts';
import { remainingWorkAt } from './stand-service.ts';
import { blenderRate } from './topology.ts';
import { newPlayer, newStand } from './create.ts';
import { applyTeacherEvent } from './apply-event.ts';
import { armTimer, evacuateStand } from './failures.ts';
import { refund, salePrice, sellRefund, settleTabs, spend, upgradeBasePrice } from './ledger.ts';
import { endGame } from './step.ts';
import { markAllDirty, markDirty } from './wake-cache.ts';
import { formatIssues } from '../scenarios/schema.ts';

const OK: CommandResult = { ok: true };

/**
 * Player lookup by id without scanning thousands of players per command: id -> position. Players are
 * only ever appended (a join), so a stale index just gets the new ones added (a room of 2,000 joining
 * one by one used to rebuild it 2,000 times); a list that was replaced is indexed afresh.
 */
const playerIndex = new WeakMap<GameState, Map<string, number>>();

export function findPlayer(state: GameState, id: string): Player | undefined {
  const players = state.players;
  let index = playerIndex.get(state);
  if (!index) {
    index = new Map();
    playerIndex.set(state, index);
  }
  let i = index.get(id);
  if (i === undefined || players[i]?.id !== id) {
    if (i !== undefined || index.size > players.length) index.clear();
    for (let k = index.size; k < players.length; k++) index.set(players[k]!.id, k);
    i = index.get(id);
    if (i === undefined || players[i]?.id !== id) return undefined;
  }
  return players[i];
}

/** An untrusted command as the schema reads it (trimmed, defaults filled), or why it is malformed. */
export function parseCommand(
  input: unknown,
): { ok: true; cmd: Command } | Extract<CommandResult, { ok: false }> {
  const parsed = commandSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, reason: 'malformed', message: formatIssues(parsed.error).join('; ') };
  return { ok: true, cmd: parsed.data };
}

/** Validates an untrusted command (schema) and applies it. */
export function tryCommand(state: GameState, input: unknown): CommandResult {
  const parsed = parseCommand(input);
  return parsed.ok ? applyCommand(state, parsed.cmd) : parsed;
}

/**
 * Applies one command at the current tick boundary. Either the whole command takes effect or the
 * state is untouched and a typed reason says why.
 */
export function applyCommand(state: GameState, cmd: Command): CommandResult {
  if (state.status === 'ended') return refuse('game-ended', 'The game has ended.');
  // Commands change stands outside tickSpan: its wake cache must be rebuilt (it never affects results).
  if ('playerId' in cmd) {
    const p = findPlayer(state, cmd.playerId);
    if (p) markDirty(p);
  } else {
    markAllDirty(state);
  }
  switch (cmd.type) {
    case 'join': {
      if (findPlayer(state, cmd.playerId))
        return refuse('duplicate-player', `Player ${cmd.playerId} has already joined.`);
      state.players.push(newPlayer(state, cmd.playerId, cmd.name, cmd.bot ?? null));
      return OK;
    }
    case 'kick': {
      const p = findPlayer(state, cmd.playerId);
      if (!p) return refuse('unknown-player', `No player ${cmd.playerId} in this game.`);
      if (p.removed) return refuse('player-removed', `${p.name} was already removed.`);
      p.removed = true;
      return OK;
    }
    case 'start':
      if (state.status !== 'lobby') return refuse('already-started', 'The game has already started.');
      state.status = 'running';
      return OK;
    case 'end':
      endGame(state);
      return OK;
    case 'event':
      if (state.status !== 'running')
        return refuse('game-not-started', 'Events can be sent once the game runs.');
      applyTeacherEvent(state, cmd.event, 'teacher');
      return OK;
    default:
      return applyPlayerCommand(state, cmd);
  }
}

function standById(p: Player, id: number | undefined): Stand | undefined {
  return id === undefined ? undefined : p.stands.find((s) => s.id === id);
}

function applyPlayerCommand(state: GameState, cmd: PlayerCommand): CommandResult {
  if (state.status !== 'running') return refuse('game-not-started', 'The shop opens when the game starts.');
  const p = findPlayer(state, cmd.playerId);
  if (!p) return refuse('unknown-player', `No player ${cmd.playerId} in this game.`);
  if (p.removed) return refuse('player-removed', 'This business was removed from the game.');
  const sc = state.scenario;
  const tick = state.tick;
  const afford = (price: number): CommandResult | null =>
    p.cash >= price
      ? null
      : refuse('not-enough-cash', `This costs $${price.toFixed(2)}; you have $${p.cash.toFixed(2)}.`);

  switch (cmd.type) {
    case 'buy': {
      if (cmd.item === 'stand') {
        if (p.stands.length >= MAX_STANDS)
          return refuse('max-stands', `A business can have at most ${MAX_STANDS} stands.`);
        const price = salePrice(state, sc.prices.stand);
        const poor = afford(price);
        if (poor) return poor;
        spend(p, price);
        const ready = tick + Math.round(sc.timings.buildSeconds * TICKS_PER_SECOND);
        p.stands.push(
          newStand(p.nextStandId++, 1, ready > tick ? 'building' : 'open', ready > tick ? ready : -1, price),
        );
        if (ready > tick) armTimer(p, ready);
        p.purchases.stands++;
        return OK;
      }
      if (cmd.item === 'load-balancer') {
        if (p.lbs.length >= MAX_LOAD_BALANCERS)
          return refuse('max-load-balancers', 'You already have two load balancers.');
        const price = salePrice(state, sc.prices.loadBalancer);
        const poor = afford(price);
        if (poor) return poor;
        spend(p, price);
        p.lbs.push({ failedUntil: -1, paid: price });
        p.purchases.loadBalancers++;
        return OK;
      }
      if (cmd.item === 'notebook') {
        if (p.notebook) return refuse('already-owned', 'You already have the shared notebook.');
        const price = salePrice(state, sc.prices.notebook);
        const poor = afford(price);
        if (poor) return poor;
        spend(p, price);
        // Moving the books: regulars settle what they owe, and from now on tabs live in the notebook.
        for (const s of p.stands) s.tabs = settleTabs(state, p, s.tabs);
        p.regularHome = {};
        p.regularRecovering = {};
        p.notebook = { failedUntil: -1, paid: price };
        p.purchases.notebook++;
        return OK;
      }
      if (!p.notebook)
        return refuse('needs-notebook', 'A replica copies the shared notebook: buy the notebook first.');
      if (p.replica) return refuse('already-owned', 'You already have a notebook replica.');
      const price = salePrice(state, sc.prices.notebookReplica);
      const poor = afford(price);
      if (poor) return poor;
      spend(p, price);
      p.replica = { failedUntil: -1, paid: price };
      p.purchases.replica++;
      return OK;
    }
    case 'upgrade': {
      const s = standById(p, cmd.standId);
      if (!s) return refuse('unknown-stand', `You have no stand #${cmd.standId}.`);
      const base = upgradeBasePrice(sc, s.tier);
      if (base === null) return refuse('max-tier', 'This is the biggest blender there is.');
      if (s.status !== 'open')
        return refuse(
          'stand-not-ready',
          `This stand is ${s.status === 'failed' ? 'broken' : s.status}; wait until it is open.`,
        );
      const price = salePrice(state, base);
      const poor = afford(price);
      if (poor) return poor;
      spend(p, price);
      // Settle the cup in progress at the old speed; it resumes at the new one after the swap.
      const now = tick * SECONDS_PER_TICK;
      s.remaining = remainingWorkAt(s, blenderRate(sc, s.tier), now);
      s.syncedAt = now;
      s.tier++;
      s.paid += price;
      const ready = tick + Math.round(sc.timings.swapSeconds * TICKS_PER_SECOND);
      if (ready > tick) {
        s.status = 'swapping';
        s.until = ready;
        armTimer(p, ready);
      }
      p.purchases.upgrades++;
      return OK;
    }
    case 'sell':
      return sell(state, p, cmd);
    case 'set-policy':
      if (p.lbs.length === 0)
        return refuse('needs-load-balancer', 'Only a load balancer has a policy: buy one first.');
      p.lbPolicy = cmd.policy;
      return OK;
    case 'set-lb-mode':
      if (p.lbs.length === 0) return refuse('needs-load-balancer', 'Buy a load balancer first.');
      p.lbMode = cmd.mode;
      return OK;
  }
}

function sell(state: GameState, p: Player, cmd: Extract<PlayerCommand, { type: 'sell' }>): CommandResult {
  const done = (paid: number): CommandResult => {
    p.purchases.sales++;
    refund(p, sellRefund(state.scenario, paid));
    return OK;
  };
  switch (cmd.item) {
    case 'stand': {
      const s = standById(p, cmd.standId);
      if (!s) return refuse('unknown-stand', `You have no stand #${cmd.standId ?? '?'}.`);
      if (p.stands.length === 1) return refuse('last-stand', 'You cannot sell your last stand.');
      evacuateStand(state, p, s, state.tick);
      p.stands.splice(p.stands.indexOf(s), 1);
      return done(s.paid);
    }
    case 'load-balancer': {
      if (p.lbs.length === 0) return refuse('not-owned', 'You have no load balancer to sell.');
      // Sell a broken one first if there is one.
      const i = p.lbs.findIndex((b) => b.failedUntil >= 0);
      const [lb] = p.lbs.splice(i >= 0 ? i : p.lbs.length - 1, 1);
      return done(lb!.paid);
    }
    case 'notebook': {
      if (!p.notebook) return refuse('not-owned', 'You have no shared notebook.');
      if (p.replica) return refuse('sell-replica-first', 'Sell the notebook replica first.');
      p.notebookTabs = settleTabs(state, p, p.notebookTabs);
      const paid = p.notebook.paid;
      p.notebook = null;
      p.notebookFailoverUntil = 0;
      return done(paid);
    }
    case 'notebook-replica': {
      if (!p.replica) return refuse('not-owned', 'You have no notebook replica.');
      const paid = p.replica.paid;
      p.replica = null;
      return done(paid);
    }
  }
}
