/**
 * Closed forms and exact references the queueing tests compare the simulation with. Each is computed
 * here from first principles (no figure is copied in), so a test fails when the simulation drifts.
 */
import type { Customer } from '../../../shared/sim/state.ts';
import type { Scenario } from '../../../shared/scenarios/schema.ts';
import { createGame } from '../../../shared/sim/create.ts';
import { drawArrivals } from '../../../shared/sim/arrivals.ts';
import { TICKS_PER_SECOND } from '../../../shared/sim/constants.ts';

/**
 * A single server with exponential service (rate mu), Poisson arrivals (lambda), exponential patience
 * (rate theta; 0: none) for those waiting, and at most K in the system (Infinity: no limit): the
 * birth-death chain n -> n+1 at lambda, n -> n-1 at mu + (n-1) theta, solved numerically.
 */
export function mm1kPatience(lambda: number, mu: number, theta: number, K: number) {
  const top = Number.isFinite(K) ? K : 2000;
  const w = [1];
  for (let n = 1; n <= top; n++) w.push((w[n - 1]! * lambda) / (mu + (n - 1) * theta));
  const total = w.reduce((a, b) => a + b, 0);
  const pn = w.map((x) => x / total);
  let abandonRate = 0;
  let lq = 0;
  for (let n = 1; n <= top; n++) {
    abandonRate += (n - 1) * theta * pn[n]!;
    lq += (n - 1) * pn[n]!;
  }
  return {
    /** Share of arrivals who find the system full (PASTA). */
    blocked: Number.isFinite(K) ? pn[top]! : 0,
    /** Share of arrivals who join and give up. */
    abandoned: abandonRate / lambda,
    /** Mean number waiting. */
    lq,
  };
}

/**
 * GI/M/1 with Erlang-k interarrival times (each phase at rate lambdaPhase): what each of k servers sees
 * behind a round-robin balancer. sigma solves sigma = A*(mu (1 - sigma)), A*(s) = (l / (l + s))^k;
 * the mean wait in line is sigma / (mu (1 - sigma)).
 */
export function ekM1Wait(k: number, lambdaPhase: number, mu: number): number {
  let sigma = 0.5;
  for (let i = 0; i < 10_000; i++) sigma = (lambdaPhase / (lambdaPhase + mu * (1 - sigma))) ** k;
  return sigma / (mu * (1 - sigma));
}

/** The common customer stream of a scenario and seed, drawn the way every business is offered it. */
export function customerStream(scenario: Scenario, seed: number): Customer[] {
  const state = createGame(scenario, seed);
  state.status = 'running';
  const out: Customer[] = [];
  const tick: Customer[] = [];
  const ticks = scenario.durationSeconds * TICKS_PER_SECOND;
  for (; state.tick < ticks; state.tick++) {
    drawArrivals(state, tick);
    out.push(...tick);
  }
  return out;
}

/**
 * Join-the-shortest-queue, exactly: each customer, at the moment they arrive, joins the server with the
 * fewest people (waiting plus in service), the first on a tie; each server is FIFO. Returns the mean
 * wait in line of those who started before `until`. An event-by-event reference that knows nothing of ticks.
 */
export function jsqMeanWait(customers: Customer[], servers: number, mu: number, until: number): number {
  const departures: number[][] = Array.from({ length: servers }, () => []);
  const head: number[] = new Array<number>(servers).fill(0);
  let waitSum = 0;
  let started = 0;
  for (const c of customers) {
    let best = 0;
    let bestPeople = Infinity;
    for (let i = 0; i < servers; i++) {
      const d = departures[i]!;
      while (head[i]! < d.length && d[head[i]!]! <= c.t) head[i]!++;
      const people = d.length - head[i]!;
      if (people < bestPeople) {
        bestPeople = people;
        best = i;
      }
    }
    const d = departures[best]!;
    const start = d.length > head[best]! ? Math.max(c.t, d[d.length - 1]!) : c.t;
    d.push(start + c.work / mu);
    // Like the game, count the customers whose cup was started before the end.
    if (start < until) {
      waitSum += start - c.t;
      started++;
    }
  }
  return waitSum / started;
}
