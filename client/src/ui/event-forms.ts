import {
  teacherEventSchema,
  type TeacherEvent,
  type TeacherEventKind,
} from '../../../shared/sim/teacher-events.ts';
import { h } from './dom.ts';

interface Field {
  name: string;
  label: string;
  type: 'number' | 'text' | 'select';
  value: string;
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
}

interface EventSpec {
  kind: TeacherEventKind;
  title: string;
  /** Keyboard shortcut (a single key) that fires the event with the form's current values. */
  key: string;
  fields: Field[];
}

/** Every teacher event with its parameters and sensible classroom defaults. */
export const EVENT_SPECS: EventSpec[] = [
  {
    kind: 'surge',
    title: '📈 Surge',
    key: '1',
    fields: [
      { name: 'multiplier', label: 'demand x', type: 'number', value: '5', min: 2, max: 100, step: 1 },
      { name: 'durationSeconds', label: 'for (s)', type: 'number', value: '30', min: 1, max: 3600 },
    ],
  },
  {
    kind: 'stand-outage',
    title: '💥 Stand outage',
    key: '2',
    fields: [
      {
        name: 'which',
        label: 'which',
        type: 'select',
        value: 'biggest',
        options: ['biggest', 'index', 'share'],
      },
      { name: 'index', label: 'stand #', type: 'number', value: '1', min: 1, max: 64 },
      { name: 'share', label: 'share %', type: 'number', value: '50', min: 1, max: 100 },
      { name: 'repairSeconds', label: 'repair (s)', type: 'number', value: '20', min: 1, max: 3600 },
    ],
  },
  {
    kind: 'lb-outage',
    title: '⚖️ Load balancer outage',
    key: '3',
    fields: [{ name: 'repairSeconds', label: 'repair (s)', type: 'number', value: '15', min: 1, max: 3600 }],
  },
  {
    kind: 'notebook-outage',
    title: '📒 Notebook outage',
    key: '4',
    fields: [{ name: 'repairSeconds', label: 'repair (s)', type: 'number', value: '15', min: 1, max: 3600 }],
  },
  {
    kind: 'chaos',
    title: '🐒 Chaos monkey',
    key: '5',
    fields: [
      { name: 'failuresPerMinute', label: 'failures/min', type: 'number', value: '6', min: 1, max: 60 },
      { name: 'durationSeconds', label: 'for (s)', type: 'number', value: '60', min: 1, max: 3600 },
      { name: 'repairSeconds', label: 'repair (s)', type: 'number', value: '10', min: 1, max: 600 },
    ],
  },
  {
    kind: 'sale',
    title: '🏷️ Hardware sale',
    key: '6',
    fields: [
      { name: 'discountPercent', label: '% off', type: 'number', value: '50', min: 1, max: 90 },
      { name: 'durationSeconds', label: 'for (s)', type: 'number', value: '30', min: 1, max: 3600 },
    ],
  },
  {
    kind: 'rent-rise',
    title: '🏠 Rent rise',
    key: '7',
    fields: [
      { name: 'multiplier', label: 'rent x', type: 'number', value: '3', min: 1.1, max: 10, step: 0.1 },
      { name: 'durationSeconds', label: 'for (s)', type: 'number', value: '60', min: 1, max: 3600 },
    ],
  },
  {
    kind: 'announce',
    title: '📣 Announcement',
    key: '8',
    fields: [{ name: 'text', label: 'message', type: 'text', value: 'Big game tonight: expect a crowd!' }],
  },
];

/** Builds the event from a form; stand numbers are 1-based for people, 0-based in the game. */
export function eventFromForm(
  spec: EventSpec,
  form: HTMLFormElement,
): { ok: true; event: TeacherEvent } | { ok: false; message: string; field?: string } {
  const data = new FormData(form);
  const raw: Record<string, unknown> = { kind: spec.kind };
  for (const f of spec.fields) {
    const v = String(data.get(f.name) ?? '');
    raw[f.name] = f.type === 'number' ? Number(v) : v;
  }
  const wrong = spec.fields.find((f) => appliesTo(f, raw) && !withinLimits(f, raw[f.name]));
  if (wrong) return { ok: false, message: `${spec.title}: ${limitsText(wrong)}`, field: wrong.name };
  if (spec.kind === 'stand-outage') {
    if (raw.which !== 'index') delete raw.index;
    else raw.index = Number(raw.index) - 1;
    if (raw.which !== 'share') delete raw.share;
    else raw.share = Number(raw.share) / 100;
  }
  const parsed = teacherEventSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  return { ok: true, event: parsed.data };
}

/** A stand outage's stand number and share count only when "which" picks them. */
function appliesTo(f: Field, raw: Record<string, unknown>): boolean {
  if (f.name === 'index' || f.name === 'share') return raw.which === f.name;
  return true;
}

function withinLimits(f: Field, v: unknown): boolean {
  if (f.type === 'text') return typeof v === 'string' && v.trim() !== '';
  if (f.type !== 'number') return true;
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (f.min === undefined || v >= f.min) &&
    (f.max === undefined || v <= f.max)
  );
}

/** What a field takes, in the words of its label: the teacher reads this, not the schema's wording. */
function limitsText(f: Field): string {
  if (f.type === 'text') return `type a ${f.label}.`;
  return `"${f.label}" must be a number from ${f.min} to ${f.max}.`;
}

export function eventForm(
  spec: EventSpec,
  fire: (spec: EventSpec, form: HTMLFormElement) => void,
): HTMLFormElement {
  // novalidate: an out-of-range value got only the browser's bubble while the console's feedback line
  // still said the previous event was sent; eventFromForm says what each field takes instead.
  const form = h('form', { class: 'event-form', 'data-event': spec.kind, novalidate: true });
  const inputs = spec.fields.map((f) => {
    const id = `ev-${spec.kind}-${f.name}`;
    const input =
      f.type === 'select'
        ? h(
            'select',
            { id, name: f.name },
            ...(f.options ?? []).map((o) => h('option', { value: o, selected: o === f.value }, o)),
          )
        : h('input', {
            id,
            name: f.name,
            type: f.type,
            value: f.value,
            min: f.min,
            max: f.max,
            step: f.step ?? (f.type === 'number' ? 'any' : undefined),
            size: f.type === 'text' ? 24 : 5,
            maxlength: f.type === 'text' ? 200 : undefined,
          });
    return h('span', { class: 'field' }, h('label', { for: id }, f.label), input);
  });
  form.append(
    h('h3', {}, spec.title, ' ', h('kbd', { title: `Shortcut: key ${spec.key}` }, spec.key)),
    h('div', { class: 'fields' }, ...inputs),
    h('button', { type: 'submit', class: 'fire' }, 'Trigger'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    fire(spec, form);
  });
  // Only the fields this event will use show: "stand # 1" and "share % 50" beside "biggest" read as if
  // the outage would hit stand 1 or half the stands.
  const showUsedFields = (): void => {
    const chosen = Object.fromEntries(new FormData(form));
    spec.fields.forEach((f, i) => (inputs[i]!.hidden = !appliesTo(f, chosen)));
  };
  form.addEventListener('change', showUsedFields);
  showUsedFields();
  return form;
}
export type { EventSpec };
