import { z } from 'zod';

/**
 * What a teacher can throw at the class. Every event applies to every player at the same tick, and any
 * randomness in it (chaos) comes from the game seed, so it lands identically on identical businesses.
 */
const seconds = (max: number) => z.number().positive().max(max);

export const surgeEventSchema = z.strictObject({
  kind: z.literal('surge'),
  multiplier: z.number().min(2).max(100),
  durationSeconds: seconds(3600),
});

export const standOutageEventSchema = z
  .strictObject({
    kind: z.literal('stand-outage'),
    /** biggest: the fastest working stand; index: the stand at that position; share: that share of stands. */
    which: z.enum(['biggest', 'index', 'share']),
    index: z.number().int().min(0).max(63).optional(),
    share: z.number().gt(0).max(1).optional(),
    repairSeconds: seconds(3600),
  })
  .refine((e) => e.which !== 'index' || e.index !== undefined, {
    message: 'index is required',
    path: ['index'],
  })
  .refine((e) => e.which !== 'share' || e.share !== undefined, {
    message: 'share is required',
    path: ['share'],
  });

export const lbOutageEventSchema = z.strictObject({
  kind: z.literal('lb-outage'),
  repairSeconds: seconds(3600),
});

export const notebookOutageEventSchema = z.strictObject({
  kind: z.literal('notebook-outage'),
  repairSeconds: seconds(3600),
});

export const chaosEventSchema = z.strictObject({
  kind: z.literal('chaos'),
  failuresPerMinute: z.number().positive().max(60),
  durationSeconds: seconds(3600),
  repairSeconds: seconds(600),
});

export const saleEventSchema = z.strictObject({
  kind: z.literal('sale'),
  discountPercent: z.number().int().min(1).max(90),
  durationSeconds: seconds(3600),
});

export const rentRiseEventSchema = z.strictObject({
  kind: z.literal('rent-rise'),
  multiplier: z.number().min(1.1).max(10),
  durationSeconds: seconds(3600),
});

export const announceEventSchema = z.strictObject({
  kind: z.literal('announce'),
  text: z
    .string()
    .trim()
    .min(1)
    .max(200)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
});

export const teacherEventSchema = z.union([
  surgeEventSchema,
  standOutageEventSchema,
  lbOutageEventSchema,
  notebookOutageEventSchema,
  chaosEventSchema,
  saleEventSchema,
  rentRiseEventSchema,
  announceEventSchema,
]);

export type TeacherEvent = z.infer<typeof teacherEventSchema>;
export type TeacherEventKind = TeacherEvent['kind'];
export const TEACHER_EVENT_KINDS: readonly TeacherEventKind[] = [
  'surge',
  'stand-outage',
  'lb-outage',
  'notebook-outage',
  'chaos',
  'sale',
  'rent-rise',
  'announce',
];

/** One line a person can read, for banners, logs and the replay timeline. */
export function describeEvent(e: TeacherEvent): string {
  switch (e.kind) {
    case 'surge':
      return `Surge: demand x${e.multiplier} for ${e.durationSeconds} s`;
    case 'stand-outage':
      return e.which === 'biggest'
        ? `Outage: the biggest stand breaks for ${e.repairSeconds} s`
        : e.which === 'index'
          ? `Outage: stand #${(e.index ?? 0) + 1} breaks for ${e.repairSeconds} s`
          : `Outage: ${Math.round((e.share ?? 0) * 100)}% of stands break for ${e.repairSeconds} s`;
    case 'lb-outage':
      return `Outage: a load balancer fails for ${e.repairSeconds} s`;
    case 'notebook-outage':
      return `Outage: the shared notebook fails for ${e.repairSeconds} s`;
    case 'chaos':
      return `Chaos: ${e.failuresPerMinute} random failures a minute for ${e.durationSeconds} s`;
    case 'sale':
      return `Hardware sale: ${e.discountPercent}% off for ${e.durationSeconds} s`;
    case 'rent-rise':
      return `Rent rise: rent x${e.multiplier} for ${e.durationSeconds} s`;
    case 'announce':
      return e.text;
  }
}
