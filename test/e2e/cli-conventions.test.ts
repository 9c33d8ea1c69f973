/**
 * The conventions every `certguard` command keeps (docs/cli.md): --help at every level (usage on stdout, exit 0),
 * --version, and distinct exit codes — 0 success, 1 a finding, 2 usage, 3 cannot run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { certguardCli as certguard } from '../support/certguard-cli.ts';

const COMMANDS = [
  [],
  ['migrate'],
  ['policy'],
  ['policy', 'test'],
  ['policy', 'lint'],
  ['policy', 'eval'],
  ['audit'],
  ['audit', 'verify'],
  ['audit', 'lookup'],
  ['audit', 'partitions'],
];

describe('certguard --help and --version', () => {
  test('--help and -h at every level: the usage of that command on stdout, exit 0, nothing on stderr', async () => {
    for (const command of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const run = await certguard([...command, flag]);
        assert.equal(run.code, 0, `${[...command, flag].join(' ')}: ${run.stderr}`);
        assert.equal(run.stderr, '');
        const usage = command.length === 0 ? 'usage: certguard <command>' : `usage: certguard ${command.join(' ')}`;
        assert.ok(run.stdout.startsWith(usage), `${[...command, flag].join(' ')} prints "${usage}...", got ${run.stdout.slice(0, 80)}`);
      }
    }
  });

  test('--help wins over the other arguments (nothing runs)', async () => {
    const run = await certguard(['audit', 'verify', '--offline', '/nonexistent', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: certguard audit verify/);
  });

  test('--version prints the package version, exit 0', async () => {
    const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await certguard([flag]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `certguard ${version}\n`);
    }
  });
});

describe('certguard exit codes', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-cli-codes-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('2 for a usage error, with the problem and the usage on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /usage: certguard <command>/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['migrate', 'now'], /unexpected argument "now"/],
      [['policy'], /missing subcommand/],
      [['policy', 'frobnicate'], /unknown subcommand "frobnicate"/],
      [['policy', 'test', 'a', 'b'], /unexpected argument "b"/],
      [['policy', 'test', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['policy', 'test', '--format', 'xml'], /--format must be text or json/],
      [['policy', 'test', '--run', '('], /--run: Invalid regular expression/],
      [['policy', 'lint', '--json'], /Unknown option '--json'/],
      [['policy', 'eval'], /policy eval needs --input/],
      [['audit'], /missing subcommand/],
      [['audit', 'frobnicate'], /unknown subcommand "frobnicate"/],
      [['audit', 'verify', '--offline', 'x.ndjson'], /--offline needs --checkpoints/],
      [['audit', 'lookup', '--max-results', '0'], /--max-results must be an integer/],
      [['audit', 'lookup', '--start-time', 'yesterday'], /--start-time "yesterday" is not an ISO 8601 date-time/],
      [['audit', 'lookup', '--lookup-attributes', 'Color=red'], /unknown key "Color"/],
      [['audit', 'partitions', '--force'], /Unknown option '--force'/],
    ];
    for (const [args, problem] of cases) {
      const run = await certguard(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, problem, args.join(' '));
      assert.match(run.stderr, /usage: certguard/, args.join(' '));
    }
  });

  test('3 when it cannot run: a missing bundle directory or input file, an unreachable database', async () => {
    const missing = path.join(dir, 'missing');
    const unreachable = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    const cases: Array<[string[], Record<string, string>]> = [
      [['policy', 'test', missing], {}],
      [['policy', 'lint', missing], {}],
      [['policy', 'eval', '--input', path.join(dir, 'missing.json'), '--operation', 'TransferCertificate'], {}],
      [['audit', 'verify', '--offline', path.join(dir, 'x.ndjson'), '--checkpoints', path.join(dir, 'c.json')], {}],
      [['audit', 'lookup'], unreachable],
      [['audit', 'partitions'], unreachable],
      [['audit', 'verify'], unreachable],
      [['migrate'], unreachable],
    ];
    for (const [args, env] of cases) {
      const run = await certguard(args, env);
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.notEqual(run.stderr, '', 'the reason is on stderr');
      assert.equal(run.stdout, '');
    }
  });
});
