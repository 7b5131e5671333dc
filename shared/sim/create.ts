import type { Scenario } from '../scenarios/schema.ts';
import type { BotKind } from './commands.ts';
import type { GameState, Metrics, Player, Stand } from './state.ts';
import { SIM_VERSION } from './constants.ts';
import { nextExp, seedRng } from './rng.ts';
import { NOBODY_WAITING } from './stand-service.ts';
import { NO_TIMER } from './failures.ts';

const ARRIVAL_STREAM = 1;
const CHAOS_STREAM = 2;

export function createGame(scenario: Scenario, seed: number): GameState {
  const arrivalRng = seedRng(seed, ARRIVAL_STREAM);
  const arrivalBudget = nextExp(arrivalRng);
  return {
    version: SIM_VERSION,
    scenario,
    seed: seed >>> 0,
    tick: 0,
    status: 'lobby',
    arrivalRng,
    arrivalBudget,
    nextCustomerId: 0,
    chaosRng: seedRng(seed, CHAOS_STREAM),
    surges: [],
    sale: null,
    rentRise: null,
    chaos: null,
    scheduleIndex: 0,
    eventHistory: [],
    chaosHistory: [],
    lastArrivals: 0,
    players: [],
  };
}

export function emptyMetrics(): Metrics {
  return {
    served: 0,
    lost: { balked: 0, impatient: 0, outage: 0, failover: 0 },
    tabCupsLost: 0,
    revenue: 0,
    spent: 0,
    rent: 0,
    refunds: 0,
    waitSum: 0,
    systemSum: 0,
    lineSum: 0,
    workServed: 0,
    capacitySeconds: 0,
    waitHist: {},
    availableTicks: 0,
    activeTicks: 0,
    peakLine: 0,
  };
}

export function newStand(
  id: number,
  tier: number,
  status: Stand['status'],
  until: number,
  paid: number,
): Stand {
  return {
    id,
    tier,
    status,
    until,
    queue: [],
    minDeadline: NOBODY_WAITING,
    serving: null,
    remaining: 0,
    syncedAt: 0,
    servingSince: 0,
    tabs: {},
    paid,
    served: 0,
    gaveUp: 0,
    arrived: 0,
    balked: 0,
  };
}

/** A business as the scenario sets it up; every player, late or not, starts from the same one. */
export function newPlayer(state: GameState, id: string, name: string, bot: BotKind | null): Player {
  const sc = state.scenario;
  const stands: Stand[] = [];
  for (let i = 0; i < sc.start.stands; i++) stands.push(newStand(i, sc.start.tier, 'open', -1, 0));
  return {
    id,
    name,
    bot,
    joinedTick: state.tick,
    removed: false,
    cash: sc.startingCash,
    stands,
    nextStandId: stands.length,
    lbs: sc.start.loadBalancer ? [{ failedUntil: -1, paid: 0 }] : [],
    lbMode: sc.start.lbMode,
    lbPolicy: sc.start.lbPolicy,
    lbFailoverUntil: 0,
    rrCursor: 0,
    notebook: sc.start.notebook ? { failedUntil: -1, paid: 0 } : null,
    replica: null,
    notebookFailoverUntil: 0,
    notebookTabs: {},
    regularHome: {},
    regularRecovering: {},
    nextTimer: NO_TIMER,
    purchases: { stands: 0, upgrades: 0, loadBalancers: 0, notebook: 0, replica: 0, sales: 0 },
    m: emptyMetrics(),
  };
}
