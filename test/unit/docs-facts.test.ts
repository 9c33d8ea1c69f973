/**
 * The documentation cannot drift from the code: the configuration table names exactly what src/config.ts reads
 * (and its literal defaults are the real ones), the policy revision and the shipped rules quoted in docs/ are the
 * bundle's, and every relative link (and #anchor) and quoted repository path in README.md and docs/*.md resolves.
 * Each check also runs on a broken sample, so it is known to fail when the docs are wrong.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import {
  anchors,
  bundleRules,
  codePathProblems,
  configTableProblems,
  documentedDefaults,
  documentedRules,
  documentedVariables,
  linkProblems,
  manifestRevision,
  markdownFiles,
  paramsKeysRead,
  paramsTableProblems,
  read,
  repoPathExists,
  revisionProblems,
  ruleTableProblems,
  slug,
} from '../support/docs-facts.ts';

const CONFIG_SOURCE = 'src/config.ts';
const allDocs = () => new Map(markdownFiles().map((file) => [file, read(file)]));

describe('docs: the configuration table', () => {
  test('names every variable src/config.ts reads, and none it does not (OTEL_* aside)', () => {
    assert.deepEqual(configTableProblems(read(CONFIG_SOURCE), read('README.md')), []);
  });

  test('a variable missing from the table, or one config.ts never reads, is reported', () => {
    const source = "const a = env.DATABASE_URL; integer(env, 'PORT', 3000, 0, 65535); boolean(env, 'CERTGUARD_NEW', false);";
    const table = [
      '| variable | default | meaning |',
      '|---|---|---|',
      '| `PORT`, `DATABASE_URL` | `3000`, unset | port, database |',
      '| `CERTGUARD_GONE` | `1` | removed long ago |',
      "| `OTEL_*` | | the SDK's |",
    ].join('\n');
    assert.deepEqual(configTableProblems(source, table), [
      'CERTGUARD_NEW is read by src/config.ts but not in the configuration table',
      'CERTGUARD_GONE (line 4) is in the configuration table but src/config.ts never reads it',
    ]);
    assert.ok(configTableProblems(source, 'no table here').includes('no configuration table (| variable | default | meaning |) found'));
  });

  test('every literal default in a variable table of README.md or docs/ is the real default: setting it changes nothing', () => {
    // The README table's literal defaults are most of it; a parsing regression must not make this test vacuous.
    const inReadme = documentedDefaults(read('README.md')).length;
    assert.ok(inReadme >= 20, `only ${inReadme} checkable defaults found in README.md`);
    const reference = loadConfig({});
    for (const [file, text] of allDocs()) {
      for (const { variable, value, line } of documentedDefaults(text)) {
        assert.deepEqual(loadConfig({ [variable]: value }), reference, `${file}:${line}: ${variable} is documented as defaulting to ${value}`);
      }
    }
  });

  test('a wrong documented default is caught', () => {
    const [wrong] = documentedDefaults('| variable | default | meaning |\n|---|---|---|\n| `PORT` | `8080` | HTTP port |');
    assert.deepEqual(wrong, { variable: 'PORT', value: '8080', line: 3 });
    assert.notDeepEqual(loadConfig({ PORT: wrong!.value }), loadConfig({}));
  });
});

describe('docs: the guard-rule bundle', () => {
  test("every revision quoted in README.md and docs/ is the manifest's, and docs/policies.md quotes it", () => {
    const revision = manifestRevision();
    assert.deepEqual(revisionProblems(allDocs(), revision), []);
    assert.ok(read('docs/policies.md').includes(revision), `docs/policies.md does not quote revision ${revision}`);
  });

  test('a stale revision is reported', () => {
    assert.deepEqual(revisionProblems(new Map([['docs/x.md', 'revision: "2026-11-26.1"']]), '2026-11-26.3'), [
      'docs/x.md quotes revision 2026-11-26.1, the manifest says 2026-11-26.3',
    ]);
  });

  test("the rule table of docs/policies.md lists the rule files' rules: ids, order, action and error type", () => {
    const shipped = bundleRules();
    assert.ok(shipped.length > 0);
    assert.deepEqual(ruleTableProblems(documentedRules(read('docs/policies.md')), shipped), []);
  });

  test('the params table of docs/policies.md lists exactly the params keys the shipped rules read', () => {
    const keys = paramsKeysRead();
    assert.ok(keys.size >= 3, `only ${[...keys].join(', ')} found`);
    assert.deepEqual(paramsTableProblems(read('docs/policies.md'), keys), []);
  });

  test('a params key missing from the table, or one no rule reads, is reported', () => {
    const table = '| key | type | read by | effect |\n|---|---|---|---|\n| `deniedTargetAccounts` | list | r | e |\n| `oldKey` | list | r | e |';
    assert.deepEqual(paramsTableProblems(table, new Set(['deniedTargetAccounts', 'legalHoldCertificates'])), [
      'params.legalHoldCertificates is read by a shipped rule but not in the params table',
      'params.oldKey is in the params table but no shipped rule reads it',
    ]);
  });

  test('a missing, unknown, reordered or mis-described rule is reported', () => {
    const shipped = [
      { file: 'a.yaml', id: 'one', action: 'enforce', errorType: 'InvalidRequestException' },
      { file: 'a.yaml', id: 'two', action: 'warn', errorType: 'InvalidRequestException' },
    ];
    const table = (rows: string[]) => documentedRules(['| file | rule | action | refuses with |', '|---|---|---|---|', ...rows].join('\n'));
    assert.deepEqual(ruleTableProblems(table(['| `a.yaml` | `one` | enforce | `InvalidRequestException` |', '| | `two` (note) | warn | — |']), shipped), []);
    assert.deepEqual(ruleTableProblems(table(['| `a.yaml` | `one` | enforce | `InvalidRequestException` |', '| | `three` | warn | — |']), shipped), [
      'rule three of a.yaml is documented but not in the rule files',
      'rule two of a.yaml is missing from the rule table',
    ]);
    assert.deepEqual(ruleTableProblems(table(['| `a.yaml` | `two` | warn | — |', '| | `one` | enforce | `InvalidRequestException` |']), shipped), [
      "a.yaml: documented order two, one, the file's order one, two",
    ]);
    assert.deepEqual(ruleTableProblems(table(['| `a.yaml` | `one` | warn | `CertificateStateException` |', '| | `two` | warn | — |']), shipped), [
      'rule one: documented action warn, the file says enforce',
      'rule one: documented error CertificateStateException, the file says InvalidRequestException',
    ]);
    assert.deepEqual(ruleTableProblems([], shipped), ['no rule table (| file | rule | action | refuses with |) found']);
  });
});

describe('docs: links', () => {
  test('README.md is the front door: at most 250 lines', () => {
    const lines = read('README.md').split('\n').length;
    assert.ok(lines <= 250, `README.md has ${lines} lines`);
  });

  test('every relative link in README.md and docs/*.md points to an existing file and heading', () => {
    assert.deepEqual(linkProblems(allDocs(), repoPathExists), []);
  });

  test('every repository path quoted as code in README.md and docs/*.md exists', () => {
    assert.deepEqual(codePathProblems(allDocs(), repoPathExists), []);
  });

  test('anchors follow GitHub: punctuation dropped, spaces to hyphens, duplicates numbered', () => {
    assert.equal(slug('`GET /metrics` is unauthenticated'), 'get-metrics-is-unauthenticated');
    assert.equal(slug('`audit_chain` — one entry per sealed audit row'), 'audit_chain--one-entry-per-sealed-audit-row');
    assert.equal(slug("certguard's own endpoints"), 'certguards-own-endpoints');
    assert.deepEqual([...anchors('# A\n## B\n```\n## Not a heading\n```\n## B\n')], ['a', 'b', 'b-1']);
  });

  test('a broken file link, a missing anchor and a vanished source path are reported', () => {
    const files = new Map([
      ['README.md', '[ok](docs/a.md#here) [gone](docs/b.md) [bad anchor](docs/a.md#nowhere) [web](https://example.com)\n`[x](not-a-link.md)`'],
      ['docs/a.md', '# Here\n[up](../README.md) [self](#here) [outside](../../etc/passwd)\n```\n[in code](missing.md)\n```\n`src/gone.ts` and `src/config.ts`'],
    ]);
    assert.deepEqual(
      linkProblems(files, () => false),
      [
        'README.md:1: docs/b.md: no such file docs/b.md',
        'README.md:1: docs/a.md#nowhere: docs/a.md has no heading with anchor #nowhere',
        'docs/a.md:2: ../../etc/passwd points outside the repository',
      ],
    );
    assert.deepEqual(codePathProblems(files, repoPathExists), ['docs/a.md:6: `src/gone.ts` does not exist']);
  });
});

describe('docs: the variables found in src/config.ts', () => {
  test('include the ones read through env.X and through the validating helpers', () => {
    const documented = documentedVariables(read('README.md'));
    for (const name of ['DATABASE_URL', 'NODE_ENV', 'PORT', 'HOST', 'CERTGUARD_RATE_LIMIT_BURST', 'CERTGUARD_AUDIT_DATA_EVENTS']) {
      assert.ok(documented.has(name), name);
    }
  });
});
