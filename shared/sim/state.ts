import type { RngState } from './rng.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { BotKind, LbMode, LbPolicy } from './commands.ts';
import type { TeacherEvent } from './teacher-events.ts';

/**
 * The whole game as plain data: JSON-serialisable, cloneable with structuredClone, hashable. Times
 * inside a tick are float seconds since the start; everything that happens *at* a moment is an integer tick.
 */

/** One customer of the common stream: every player faces this same customer (common random numbers). */
export interface Customer {
  id: number;
  /** Arrival time, seconds since the start. */
  t: number;
  /** Amount of work in cups (mean 1); service time is work / blender rate. */
  work: number;
  /** How long this customer will wait, seconds (1e12 when patience is off). */
  patience: number;
  /** Regular customer id, or -1 for a walk-in. */
  regular: number;
  /** Uniform draw in [0,1) used by the random load-balancing policy. */
  route: number;
}

/**
 * Regulars' tabs: regular id -> cups owed. A tab paid or moved is set to undefined rather than deleted
 * (`delete` on an object's integer keys is slow in V8: a tenth of a scale-out business's time went to
 * it); JSON, and so the hash, leaves undefined entries out, checkpoints skip them, and every reader
 * treats them as absent.
 */
export type TabBook = Record<number, number | undefined>;

export type StandStatus = 'building' | 'open' | 'swapping' | 'failed';

export interface Stand {
  /** Stable per-player id (positions change when a stand is sold). */
  id: number;
  tier: number;
  status: StandStatus;
  /** Tick at which building, swapping or repair ends; -1 when open. */
  until: number;
  queue: Customer[];
  /**
   * No one in the line gives up before this time (seconds; a lower bound, recomputed whenever the line
   * is checked). Lets a busy stand be left alone until something happens.
   */
  minDeadline: number;
  serving: Customer | null;
  /** Work (cups) left on the customer being served, as of time `syncedAt`. */
  remaining: number;
  /**
   * Seconds up to which `remaining` is accounted for. A busy open stand with nobody else to handle is
   * left alone for ticks on end (its cup just keeps blending); the work done meanwhile is settled from here.
   */
  syncedAt: number;
  /** Service start time of the customer being served (seconds). */
  servingSince: number;
  /** Regulars' tabs kept at this stand (stateful). */
  tabs: TabBook;
  /** What was paid for this stand and its blenders, for the refund on selling. */
  paid: number;
  served: number;
  /** Customers who balked at or gave up in this stand's line. */
  gaveUp: number;
  /** Customers sent to this stand (joined its line or balked at it), and those who balked. */
  arrived: number;
  balked: number;
}

/** A load balancer, the notebook or its replica: something that can fail and be repaired. */
export interface Component {
  /** Tick at which it is repaired; -1 while working. */
  failedUntil: number;
  paid: number;
}

export interface LostCounts {
  /** Walked away at a line that was too long. */
  balked: number;
  /** Gave up waiting. */
  impatient: number;
  /** Nothing could serve them: failed stand, load balancer or notebook, or a stand closed for work. */
  outage: number;
  /** Regulars whose stateful session was being recovered after their stand failed. */
  failover: number;
}

export interface Metrics {
  served: number;
  lost: LostCounts;
  /** Cups on tabs that were never paid because the tab was lost with its stand or notebook. */
  tabCupsLost: number;
  revenue: number;
  spent: number;
  rent: number;
  refunds: number;
  /** Sum of the waits (line plus hops) of the customers who were served. */
  waitSum: number;
  /** Sum of the times in system (wait plus blending) of the customers who were served. */
  systemSum: number;
  /** Customer-seconds spent waiting in lines (over the game's seconds: the mean line length). */
  lineSum: number;
  /** Cups of work blended (over capacitySeconds: the blenders' utilisation). */
  workServed: number;
  /** Cups the open blenders could have blended: their rates times the seconds they were open. */
  capacitySeconds: number;
  /** Sparse histogram of waits: bucket index -> count (bucket width WAIT_BUCKET_SECONDS). */
  waitHist: Record<number, number>;
  /** Ticks during which a customer arriving now could have been served. */
  availableTicks: number;
  activeTicks: number;
  peakLine: number;
}

export interface Purchases {
  stands: number;
  upgrades: number;
  loadBalancers: number;
  notebook: number;
  replica: number;
  sales: number;
}

export interface Player {
  id: string;
  name: string;
  bot: BotKind | null;
  joinedTick: number;
  removed: boolean;
  cash: number;
  stands: Stand[];
  nextStandId: number;
  lbs: Component[];
  lbMode: LbMode;
  lbPolicy: LbPolicy;
  /** Until this tick the load balancers are failing over (active-passive) and route nobody. */
  lbFailoverUntil: number;
  rrCursor: number;
  notebook: Component | null;
  replica: Component | null;
  notebookFailoverUntil: number;
  /** Tabs kept in the shared notebook (stateless stands). */
  notebookTabs: TabBook;
  /** Stateful stands: the stand id a regular's session lives on (sticky sessions). */
  regularHome: Record<number, number>;
  /** Stateful stands: regulars whose session is being recovered, until this tick. */
  regularRecovering: Record<number, number>;
  /** Earliest tick at which a build, swap or repair of this business finishes (1e15: none). */
  nextTimer: number;
  purchases: Purchases;
  m: Metrics;
}

export interface TimedEffect {
  value: number;
  untilTick: number;
}

export interface ChaosEffect {
  perTick: number;
  untilTick: number;
  repairTicks: number;
}

export type GameStatus = 'lobby' | 'running' | 'ended';

export interface GameState {
  version: number;
  scenario: Scenario;
  seed: number;
  tick: number;
  status: GameStatus;
  /** Common customer stream, shared by all players. */
  arrivalRng: RngState;
  /** Remaining unit-rate exponential before the next arrival (time-changed Poisson process). */
  arrivalBudget: number;
  nextCustomerId: number;
  /** Chaos failures draw from their own stream, so they do not shift the customers. */
  chaosRng: RngState;
  surges: TimedEffect[];
  sale: TimedEffect | null;
  rentRise: TimedEffect | null;
  chaos: ChaosEffect | null;
  /** Next entry of the scenario's schedule to fire. */
  scheduleIndex: number;
  /** Every teacher event that took effect, with its tick and where it came from. */
  eventHistory: { tick: number; event: TeacherEvent; source: 'teacher' | 'schedule' | 'chaos' }[];
  /** Every chaos strike: what it hit and the draw that picked which stand. */
  chaosHistory: { tick: number; target: 'stand' | 'load-balancer' | 'notebook'; draw: number }[];
  /** Customers that arrived in the last tick (for views). */
  lastArrivals: number;
  players: Player[];
}
