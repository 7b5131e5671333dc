import { z } from 'zod';
import { teacherEventSchema } from '../sim/teacher-events.ts';
import { BOT_KINDS, LB_MODES, LB_POLICIES } from '../sim/commands.ts';

/**
 * A scenario is the lesson plan of one game: the economy, the customers, how demand moves, and the
 * events that happen at set times. Scenario files are JSON validated by this schema; the format is
 * documented in docs/scenarios.md.
 */
const money = z.number().min(0).max(1_000_000);

const demandPointSchema = z.strictObject({
  atSeconds: z.number().min(0),
  perSecond: z.number().min(0).max(2000),
});

export const demandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), perSecond: z.number().min(0).max(2000) }),
  z.strictObject({
    kind: z.literal('curve'),
    /** Piecewise-linear demand; before the first point and after the last the nearest value holds. */
    points: z
      .array(demandPointSchema)
      .min(1)
      .refine((ps) => ps.every((p, i) => i === 0 || p.atSeconds > ps[i - 1]!.atSeconds), {
        message: 'points must be in increasing atSeconds order',
      }),
  }),
]);

export const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 lowercase letters, digits or dashes'),
  name: z.string().min(1).max(80),
  description: z.string().max(1000),
  /** The reference strategy (bot) this scenario's lesson says should do best; `npm run balance` checks it. */
  teaches: z.enum(BOT_KINDS).optional(),
  /** Labels for the timeline, such as the days of the week. */
  phases: z
    .array(z.strictObject({ atSeconds: z.number().min(0), label: z.string().min(1).max(40) }))
    .default([]),
  durationSeconds: z.number().int().min(10).max(7200),
  startingCash: money,
  prices: z.strictObject({
    cup: z.number().positive().max(1000),
    stand: money,
    standRentPerSecond: z.number().min(0).max(1000),
    /** Cost of going from tier n to n+1 (four entries for tiers 1..5). */
    blenderUpgrades: z.array(money).length(4),
    loadBalancer: money,
    notebook: money,
    notebookReplica: money,
    /** Share of the purchase price returned when selling. */
    sellRefundShare: z.number().min(0).max(1),
  }),
  /** Cups per second served by blender tiers 1..5; tier 5 is the ceiling. */
  blenderRates: z
    .array(z.number().positive().max(1000))
    .length(5)
    .refine((rs) => rs.every((r, i) => i === 0 || r > rs[i - 1]!), {
      message: 'rates must increase with tier',
    }),
  timings: z.strictObject({
    buildSeconds: z.number().min(0).max(600),
    swapSeconds: z.number().min(0).max(600),
    lbHopSeconds: z.number().min(0).max(10),
    notebookHopSeconds: z.number().min(0).max(10),
    lbFailoverSeconds: z.number().min(0).max(600),
    notebookFailoverSeconds: z.number().min(0).max(600),
    /** How long a failed stateful stand's regulars cannot be served while their sessions are recovered. */
    statefulFailoverSeconds: z.number().min(0).max(600),
  }),
  demand: demandSchema,
  customers: z.strictObject({
    serviceTime: z.enum(['exponential', 'constant']),
    /** null: customers wait for ever. */
    patienceSeconds: z.number().positive().max(3600).nullable(),
    patienceDistribution: z.enum(['exponential', 'constant']),
    /** Customers balk when this many are already waiting in line; null: lines are unbounded. */
    maxLine: z.number().int().min(0).max(10_000).nullable(),
    regularShare: z.number().min(0).max(1),
    regulars: z.number().int().min(1).max(10_000),
    /** A regular's tab is settled (paid) after this many cups. */
    tabCups: z.number().int().min(1).max(1000),
  }),
  start: z.strictObject({
    stands: z.number().int().min(1).max(64),
    tier: z.number().int().min(1).max(5),
    loadBalancer: z.boolean(),
    notebook: z.boolean(),
    /** The balancer's policy and (with two balancers) mode every business starts with; players may change them. */
    lbPolicy: z.enum(LB_POLICIES).default('least-queue'),
    lbMode: z.enum(LB_MODES).default('active-passive'),
  }),
  schedule: z
    .array(z.strictObject({ atSeconds: z.number().min(0), event: teacherEventSchema }))
    .default([])
    .refine((s) => s.every((e, i) => i === 0 || e.atSeconds >= s[i - 1]!.atSeconds), {
      message: 'scheduled events must be in time order',
    }),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Readable errors that name the field (as a dotted path) and the reason. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function parseScenario(input: unknown): ParseResult<Scenario> {
  const r = scenarioSchema.safeParse(input);
  if (r.success) {
    if (r.data.schedule.some((s) => s.atSeconds >= r.data.durationSeconds)) {
      return { ok: false, errors: ['schedule: every event must happen before durationSeconds'] };
    }
    return { ok: true, value: r.data };
  }
  return { ok: false, errors: formatIssues(r.error) };
}
