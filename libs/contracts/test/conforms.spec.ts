import {
  CloudEventHeaders,
  conforms,
  envelopeHeaders,
  eventDefinition,
  EVENT_SAMPLES,
  EVENT_TYPES,
  sampleEnvelope,
  validatePlain,
  type Constructor,
} from '../src';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value`, as property names and list indexes. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => paths(item, [...prefix, index]))
    : Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]));
  return prefix.length === 0 ? children : [prefix, ...children];
}

/** A copy of `root` with the value at `path` replaced (undefined: removed). */
function withValueAt(root: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

const REPLACEMENTS: (Json | undefined)[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'o-1',
  '2026-11-25T08:00:00.000Z',
  '2026-02-30',
  'https://example.com/a.jpg',
  0,
  1,
  -1,
  1.5,
  2 ** 60,
  true,
  {},
  [],
  ['x'],
  [{}],
  { unexpected: 1 },
];

/** The sample, then every one of its values removed or replaced, then an unknown field at every level. */
function variants(sample: Json): Json[] {
  const out: Json[] = [sample];
  for (const path of paths(sample)) {
    for (const replacement of REPLACEMENTS) out.push(withValueAt(sample, path, replacement));
    const target = path.reduce<Json>((value, step) => (value as Record<string | number, Json>)[step], sample);
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      out.push(withValueAt(sample, [...path, 'unexpected'], 'x'));
    }
    if (Array.isArray(target)) out.push(withValueAt(sample, [...path, target.length], 'x'));
  }
  out.push(withValueAt(sample, ['unexpected'], 1));
  out.push(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(sample).slice(1)}`) as Json);
  return out;
}

function disagreements(type: Constructor, sample: Json): string[] {
  const found: string[] = [];
  for (const variant of variants(sample)) {
    const fast = conforms(type, variant);
    const full = validatePlain(type, variant, 'data').ok;
    if (fast && !full) found.push(`accepted what validatePlain refuses: ${JSON.stringify(variant)}`);
  }
  return found;
}

describe('conforms: the fast check of outgoing events', () => {
  it.each(EVENT_TYPES)('accepts the sample of %s, as validatePlain does', (type) => {
    const payload = eventDefinition(type).payload as Constructor;
    expect(validatePlain(payload, EVENT_SAMPLES[type], 'data').ok).toBe(true);
    expect(conforms(payload, EVENT_SAMPLES[type])).toBe(true);
  });

  it.each(EVENT_TYPES)('never accepts a variant of %s that validatePlain refuses', (type) => {
    const payload = eventDefinition(type).payload as Constructor;
    expect(disagreements(payload, EVENT_SAMPLES[type] as unknown as Json)).toEqual([]);
  });

  it('refuses most broken variants itself, leaving validatePlain little to do', () => {
    let refused = 0;
    let broken = 0;
    for (const type of EVENT_TYPES) {
      const payload = eventDefinition(type).payload as Constructor;
      for (const variant of variants(EVENT_SAMPLES[type] as unknown as Json)) {
        if (validatePlain(payload, variant, 'data').ok) continue;
        broken++;
        if (!conforms(payload, variant)) refused++;
      }
    }
    expect(broken).toBeGreaterThan(1000);
    expect(refused).toBe(broken);
  });

  it('agrees with validatePlain on the CloudEvents headers and their variants', () => {
    const headers = envelopeHeaders(sampleEnvelope('ticket-opened')) as unknown as Json;
    expect(conforms(CloudEventHeaders, headers)).toBe(true);
    expect(disagreements(CloudEventHeaders, headers)).toEqual([]);
  });

  it('refuses what is not an object, and a class that has no rules', () => {
    const payload = eventDefinition('ticket-opened').payload as Constructor;
    for (const value of [null, 'x', 1, [], [EVENT_SAMPLES['ticket-opened']]]) {
      expect(conforms(payload, value)).toBe(false);
    }
    class NoRules {}
    expect(conforms(NoRules, {})).toBe(false);
  });
});
