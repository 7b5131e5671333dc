import { readFileSync } from 'node:fs';
import { BUILT_IN_SCENARIO_IDS, builtInScenario } from '../shared/scenarios/index.ts';
import { parseScenario, type Scenario } from '../shared/scenarios/schema.ts';
import { UsageError } from './usage-error.ts';

/** A built-in scenario by id, or a scenario JSON file by path, validated. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtIn = builtInScenario(nameOrPath);
  if (builtIn) return builtIn;
  let text: string;
  try {
    text = readFileSync(nameOrPath, 'utf8');
  } catch {
    throw new UsageError(
      `"${nameOrPath}" is neither a built-in scenario (${BUILT_IN_SCENARIO_IDS.join(', ')}) nor a readable file`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${nameOrPath} is not valid JSON: ${(e as Error).message}`);
  }
  const r = parseScenario(json);
  if (!r.ok) throw new UsageError(`${nameOrPath} is not a valid scenario:\n  ${r.errors.join('\n  ')}`);
  return r.value;
}
