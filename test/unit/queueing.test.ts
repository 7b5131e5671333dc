import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { playerResults } from '../../shared/sim/results.ts';
import { queueLab } from './helpers/scenario.ts';
import type { LbPolicy } from '../../shared/sim/commands.ts';

/**
 * With patience and balking off and no events, the simulation must agree with standard queueing theory.
 * Rates are scaled up (10 cups/s) so a 2-hour game holds tens of thousands of customers and the sampling
 * error of the mean wait is a few per cent. Each tolerance below is three to five standard deviations of
 * the estimate, as measured over 20 seeds (the figures are in docs/simulation.md).
 */
function run(scenario: ReturnType<typeof queueLab>, seed: number, policy?: LbPolicy) {
  const g = new RecordedGame({ scenario, seed, settings: {} });
  g.submit({ type: 'join', playerId: 'p', name: 'P' });
  g.submit({ type: 'start' });
  if (policy) g.submit({ type: 'set-policy', playerId: 'p', policy });
  let lineSamples = 0;
  let ticks = 0;
  const p = g.state.players[0]!;
  while (g.state.status === 'running') {
    g.advance();
    for (const s of p.stands) lineSamples += s.queue.length;
    ticks++;
  }
  return { r: playerResults(g.state, p), meanLine: lineSamples / ticks, arrivals: g.state.nextCustomerId };
}

describe('queueing theory', () => {
  it('M/M/1: mean wait in line Wq = rho/(mu - lambda) and mean line Lq = rho^2/(1 - rho)', () => {
    const lambda = 5;
    const mu = 10;
    const rho = lambda / mu;
    for (const seed of [1, 2]) {
      const { r, meanLine } = run(queueLab({ lambda, rates: [mu, 20, 40, 80, 160], seconds: 7200 }), seed);
      expect(r.lost.total).toBe(0);
      expect(r.meanWait).toBeGreaterThan((rho / (mu - lambda)) * 0.9);
      expect(r.meanWait).toBeLessThan((rho / (mu - lambda)) * 1.1);
      expect(meanLine).toBeGreaterThan(((rho * rho) / (1 - rho)) * 0.9);
      expect(meanLine).toBeLessThan(((rho * rho) / (1 - rho)) * 1.1);
    }
  });

  it('M/M/1 at high load (rho = 0.8): Wq = 0.4 s', () => {
    const { r } = run(queueLab({ lambda: 8, rates: [10, 20, 40, 80, 160], seconds: 7200 }), 7);
    expect(r.meanWait).toBeGreaterThan(0.4 - 0.05);
    expect(r.meanWait).toBeLessThan(0.4 + 0.05);
  });

  it('M/M/1/K: the share of customers who balk matches the blocking probability', () => {
    const lambda = 8;
    const mu = 10;
    const rho = lambda / mu;
    const K = 5; // one in service + four waiting
    const expected = ((1 - rho) * rho ** K) / (1 - rho ** (K + 1));
    const { r, arrivals } = run(
      queueLab({ lambda, rates: [mu, 20, 40, 80, 160], seconds: 7200, maxLine: K - 1 }),
      3,
    );
    const blocked = r.lost.balked / arrivals;
    expect(blocked).toBeGreaterThan(expected - 0.01);
    expect(blocked).toBeLessThan(expected + 0.01);
    expect(r.lost.total).toBe(r.lost.balked);
  });

  it('split traffic: random balancing over two stands makes two M/M/1 queues at half the rate', () => {
    const lambda = 10;
    const mu = 10;
    const scenario = queueLab({
      lambda,
      rates: [mu, 20, 40, 80, 160],
      seconds: 7200,
      stands: 2,
      loadBalancer: true,
    });
    const hop = scenario.timings.lbHopSeconds;
    const { r } = run(scenario, 5, 'random');
    const half = lambda / 2;
    const wq = half / mu / (mu - half);
    expect(r.meanWait - hop).toBeGreaterThan(wq * 0.9);
    expect(r.meanWait - hop).toBeLessThan(wq * 1.1);
    // Joining the shorter line beats a coin toss, and round-robin evens out arrivals (E2/M/1).
    const least = run(scenario, 5, 'least-queue').r.meanWait;
    const rr = run(scenario, 5, 'round-robin').r.meanWait;
    expect(least).toBeLessThan(r.meanWait);
    expect(rr).toBeLessThan(r.meanWait);
  });

  it('arrivals are Poisson: the count matches lambda * T', () => {
    const { arrivals } = run(queueLab({ lambda: 5, rates: [10, 20, 40, 80, 160], seconds: 7200 }), 11);
    const mean = 5 * 7200;
    expect(Math.abs(arrivals - mean)).toBeLessThan(4 * Math.sqrt(mean));
  });
});
