import { builtInScenario } from '../../../shared/scenarios/index.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../../../shared/scenarios/schema.ts';

type Overrides = {
  [K in keyof ScenarioInput]?: ScenarioInput[K] extends object ? Partial<ScenarioInput[K]> : ScenarioInput[K];
};

/** Lemonade Week with parts replaced, validated like any scenario file. */
export function scenarioWith(o: Overrides): Scenario {
  const base = builtInScenario('lemonade-week')!;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(o)) {
    const b = (base as Record<string, unknown>)[k];
    merged[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !('kind' in v)
        ? { ...b, ...v }
        : v;
  }
  const r = parseScenario(merged);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** A queueing lab: no patience, no balking, no regulars, no events, one stand, constant demand. */
export function queueLab(o: {
  lambda: number;
  rates: number[];
  seconds: number;
  stands?: number;
  loadBalancer?: boolean;
  maxLine?: number | null;
  /** Mean patience (exponential), null: none. */
  patience?: number | null;
  lbHopSeconds?: number;
}): Scenario {
  return scenarioWith({
    durationSeconds: o.seconds,
    demand: { kind: 'constant', perSecond: o.lambda },
    blenderRates: o.rates,
    customers: {
      patienceSeconds: o.patience ?? null,
      patienceDistribution: 'exponential',
      maxLine: o.maxLine ?? null,
      regularShare: 0,
    },
    timings: { lbHopSeconds: o.lbHopSeconds ?? 0.05 },
    start: { stands: o.stands ?? 1, tier: 1, loadBalancer: o.loadBalancer ?? false, notebook: false },
    schedule: [],
    prices: { standRentPerSecond: 0 },
  });
}
