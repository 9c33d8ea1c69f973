/**
 * canonicalJsonText (one pass) gives exactly what canonicalJson gives for the value as JSON.stringify sees it,
 * the composition it replaced: the stored bytes, and so every chain hash, are unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, canonicalJsonText } from '../../src/audit/canonical-json.ts';

const viaStringify = (value: unknown) => canonicalJson(JSON.parse(JSON.stringify(value) as string));

const SAMPLES: unknown[] = [
  'plain',
  'unicode é 💡 \u2028 "quoted" \\ \n',
  0,
  -0,
  1e21,
  1.5e-7,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  null,
  [],
  {},
  [1, undefined, () => 1, Symbol('s'), null, 'x'],
  { b: 1, a: 2, A: 3, '': 4, é: 5, z: undefined, f: () => 1 },
  { when: new Date('2026-12-05T08:00:00.123Z'), nested: { at: [new Date(0)] } },
  { boxed: [Object(1), Object('s'), Object(false)] },
  { toJSON: (key: string) => ({ key, replaced: true }) },
  {
    decisionId: 'd-1',
    rules: [
      { id: 'transfer.certificate-not-active', outcome: 'FAIL', message: 'The certificate is ACTIVE', action: 'deny' },
      { id: 'transfer.no-attached-policies', outcome: 'PASS', action: 'deny', details: { attached: [] } },
    ],
    warnings: [],
    decidedOnVersion: '7',
  },
];

test('equals canonicalJson of the JSON.stringify round trip for every sample', () => {
  for (const sample of SAMPLES) assert.equal(canonicalJsonText(sample), viaStringify(sample), JSON.stringify(sample));
});

test('a value JSON.stringify cannot represent at all is refused, like before', () => {
  assert.throws(() => canonicalJsonText(undefined), TypeError);
  assert.throws(() => canonicalJsonText(() => 1), TypeError);
  assert.throws(() => canonicalJsonText({ n: 1n }), TypeError);
});
