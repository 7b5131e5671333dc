import type { GameStatus, StandStatus } from '../sim/state.ts';
import type { LbMode, LbPolicy, BuyableItem } from '../sim/commands.ts';
import type { PlayerResults, StrategySummary } from '../sim/results.ts';
import type { TeacherEventKind } from '../sim/teacher-events.ts';
import type { PlayerAction } from './payloads.ts';
import type { PostmortemEntry } from '../debrief/postmortem.ts';
import type { AwaySummary } from '../debrief/away-summary.ts';
import type { PlayerReport } from '../debrief/player-reports.ts';
import type { EffectsLeft } from '../views/effects-left.ts';
import type { Headcount } from '../views/headcount.ts';
import type { Place } from '../views/rank-sharing.ts';

export type { AwaySummary, PlayerReport, PostmortemEntry };

/**
 * What the server sends each screen: what it draws, nothing more. A student's view holds only their own
 * business (and their rank); the class view holds the summary and the leaderboard.
 */

export interface StandView {
  id: number;
  /** 1-based position, as students see it ("stand #2"). */
  number: number;
  tier: number;
  /** Cups per second. */
  rate: number;
  status: StandStatus;
  /** Seconds until building, swapping or repair is done (0 when open). */
  secondsLeft: number;
  /** People waiting in line (not counting the one being served). */
  line: number;
  serving: boolean;
  /** How far the current cup is, 0..1. */
  progress: number;
  /** Cumulative cups served here, and people who balked or gave up here (the client animates deltas). */
  served: number;
  gaveUp: number;
  /** Cumulative: people sent to this stand (including re-routed ones), and those who balked at a full line. */
  arrived: number;
  balked: number;
  /** False for extra stands without a load balancer: customers never find them (lesson L6). */
  reachable: boolean;
  /** Open, reachable and nobody to serve. */
  idle: boolean;
  /** Seconds each of the first few people in line has waited, front first (for drawing). */
  waits: number[];
  /** Price of the next blender, or null at the ceiling. */
  upgradePrice: number | null;
}

export interface ShopItem {
  id: string;
  label: string;
  /** What it does, in the game's words and the real-world term. */
  effect: string;
  price: number | null;
  action: PlayerAction;
  allowed: boolean;
  /** Why not, when not allowed ("needs a load balancer", "this is the biggest blender"). */
  why: string | null;
}

export interface BannerView {
  tick: number;
  kind: TeacherEventKind | 'chaos-strike' | 'game';
  text: string;
}

export interface BusinessView {
  id: string;
  name: string;
  cash: number;
  /** Cups/s customers can reach now; and everything bought. */
  capacity: number;
  installed: number;
  available: boolean;
  stateless: boolean;
  stands: StandView[];
  loadBalancers: { up: boolean }[];
  lbPolicy: LbPolicy;
  lbMode: LbMode;
  lbFailingOver: boolean;
  notebook: { up: boolean } | null;
  replica: { up: boolean } | null;
  regularsRecovering: number;
  results: PlayerResults;
}

/** Where the game stands in time: the same facts head every screen's view. */
export interface GameClock {
  tick: number;
  seconds: number;
  durationSeconds: number;
  status: GameStatus;
  paused: boolean;
  speed: number;
  phase: string | null;
  /** Present while the room cannot write to its store: the game is on hold (see SaveTrouble). */
  cantSave?: SaveTrouble;
}

/**
 * The room cannot save (the disk is full, the store's file reports I/O errors, or it vanished): the game
 * holds still and takes no commands (they are answered `cant-save`), nothing acknowledged is lost, and it
 * carries on by itself once a write succeeds again ('full', 'io', 'unreachable': in cluster mode the shared
 * store cannot be reached, and the room is reconnecting to it); 'gone' needs the server restarted.
 */
export interface SaveTrouble {
  fault: 'full' | 'io' | 'gone' | 'unreachable';
  /** For the screen: what is happening, and for the teacher what to do. */
  message: string;
}

export interface StudentView extends GameClock {
  /** Customers per second now, and the multiplier of a running surge (1 when none). */
  demand: number;
  surge: number;
  salePercent: number;
  rentMultiplier: number;
  requestsPerCup: number;
  me: BusinessView;
  shop: ShopItem[];
  banners: BannerView[];
  /** The rank, how many hold it (2 or more: tied) and how many were ranked; null while the teacher hides the scores. */
  place: Place | null;
  /** Game seconds left of the surge, sale and rent rise now on (countdowns). */
  left: EffectsLeft;
  /** The next event the teacher planned (the scenario's schedule), for a countdown; null when none. */
  next: { atSeconds: number; text: string } | null;
  /** Who plays in the room, students and bots apart (the lobby's count). */
  players: Headcount;
}

/**
 * What the teacher sees of a student: online (a live connection), away (no connection: a reload, a
 * closed laptop, a lost network) or gone (pressed Leave, or removed). Bots are always online.
 */
export type Presence = 'online' | 'away' | 'gone';

export interface LobbyPlayer {
  id: string;
  name: string;
  bot: string | null;
  connected: boolean;
  presence: Presence;
  removed: boolean;
}

export interface ClassTotals {
  demand: number;
  /**
   * Summed over the class: effective capacity, served and lost so far, and how many businesses are open.
   * Null where withheld: the projector's view while the teacher hides the scores (a class of one student
   * and bots gives that student's own figures). A screen shows nothing for a null, never a 0.
   */
  capacity: number | null;
  served: number | null;
  lost: number | null;
  playersAvailable: number | null;
  players: number;
}

export interface ClassView extends GameClock {
  roomCode: string;
  scenario: { id: string; name: string; description: string; phases: { atSeconds: number; label: string }[] };
  locked: boolean;
  /**
   * The teacher hides the scores (never once the game has ended). The projector's cut then has no
   * leaderboard rows nor strategies, and its class sums are null (ClassTotals); the teacher's keeps every
   * row and sum.
   */
  scoresHidden: boolean;
  /**
   * The schedule is kept a surprise from the class (the host's `hideSchedule`, or the teacher's choice
   * mid-game): the projector's cut has no `upcoming`; the teacher's keeps it.
   */
  scheduleHidden: boolean;
  demand: number;
  surge: number;
  players: LobbyPlayer[];
  leaderboard: (PlayerResults & { rank: number })[];
  strategies: StrategySummary[];
  totals: ClassTotals;
  upcoming: { atSeconds: number; text: string }[];
  banners: BannerView[];
  /** Game seconds left of the surge, sale and rent rise now on (countdowns). */
  left: EffectsLeft;
}

export interface FinalResults {
  leaderboard: (PlayerResults & { rank: number })[];
  strategies: StrategySummary[];
  /** The student's own row (for the student's final screen). */
  me?: PlayerResults & { rank: number };
  /** The student's own postmortem: the moments worth talking about and the lesson each shows. */
  debrief?: PostmortemEntry[];
  hash: string;
  gameId: string;
  /**
   * The teacher's (and projector's) results: every player's purchases and debrief. By the end the log
   * is public, so this shows nothing a replay would not; students get only their own (`debrief`).
   */
  reports?: PlayerReport[];
  /** The class name typed on the host form ('' or absent when none; practice and replays give none). */
  className?: string;
  /** The teacher ended the game before the scenario's time was up. */
  endedEarly?: boolean;
}

export type { BuyableItem };
