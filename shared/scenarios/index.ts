import lemonadeWeek from './lemonade-week.json' with { type: 'json' };
import goingViral from './going-viral.json' with { type: 'json' };
import failWhale from './fail-whale.json' with { type: 'json' };
import chaosDay from './chaos-day.json' with { type: 'json' };
import { parseScenario, type Scenario } from './schema.ts';

/** The scenarios that ship with the game, validated once when first asked for. */
const FILES: Record<string, unknown> = {
  'lemonade-week': lemonadeWeek,
  'going-viral': goingViral,
  'fail-whale': failWhale,
  'chaos-day': chaosDay,
};

export const BUILT_IN_SCENARIO_IDS = Object.keys(FILES);

export function builtInScenario(id: string): Scenario | undefined {
  // Own keys only: "__proto__" or "constructor" is no scenario (the fuzz test sends them).
  if (!Object.hasOwn(FILES, id)) return undefined;
  const raw = FILES[id];
  if (raw === undefined) return undefined;
  const r = parseScenario(raw);
  if (!r.ok) throw new Error(`built-in scenario ${id} is invalid: ${r.errors.join('; ')}`);
  return r.value;
}

export function builtInScenarios(): Scenario[] {
  return BUILT_IN_SCENARIO_IDS.map((id) => builtInScenario(id)!);
}
