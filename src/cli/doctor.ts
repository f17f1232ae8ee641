// `tailor doctor`: the setup assistant's check on the command line, read from a data dir's store (a
// server may be running on it: SQLite's WAL lets both read). Exit code: 0 all steps pass, 1 some fail, 2 usage error.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { App } from '../app.js';
import { SqliteStore } from '../storage/metadata/sqlite.js';
import { SecretBox } from '../shared/secret-box.js';
import { principalPolicies } from '../services/iam/principal-policies.js';
import { checkSetup, type SetupCheck, type SetupReport } from '../setup/check.js';

const USAGE = `Usage: tailor doctor --user NAME --role NAME --bucket NAME [--key ID] [--data-dir DIR] [--json]

Checks the five permission steps of the Amazon Personalize guide against the policies stored in DIR:
1 the user can use Personalize; 2 the user may pass the role to Personalize and to no other service;
3 the role trusts personalize.amazonaws.com for this account only (aws:SourceAccount); 4 the role and
the bucket policy let Personalize read the bucket; 5 (with --key: key id, alias/…, or ARN) the key
policy and grants let the role and Personalize use the key, and the key is enabled.
Each failed step shows the statement that decided and the JSON that fixes it. --json prints the report as JSON.
Exit status: 0 all steps pass, 1 a step fails, 2 usage error.`;

class UsageError extends Error {}

export async function doctor(args: string[], accountId: () => string): Promise<number> {
  try {
    return run(args, accountId);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tailor doctor: ${e.message}\n${USAGE}\n`);
    return 2;
  }
}

function run(args: string[], accountId: () => string): number {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        user: { type: 'string' },
        role: { type: 'string' },
        bucket: { type: 'string' },
        key: { type: 'string' },
        'data-dir': { type: 'string', default: process.env.TAILOR_DATA_DIR ?? './.tailor' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const { user, role, bucket, key } = values as { user?: string; role?: string; bucket?: string; key?: string };
  for (const [flag, v] of [['--user', user], ['--role', role], ['--bucket', bucket]] as const) {
    if (!v) throw new UsageError(`${flag} is required`);
  }
  const dataDir = resolve(values['data-dir'] as string);
  const file = join(dataDir, 'metadata.sqlite');
  if (!existsSync(file)) throw new UsageError(`no Tailor data in ${dataDir}`);

  const store = new SqliteStore(file);
  try {
    // Only what the checks read: the store, and the policies of principals as the authoriser gathers them.
    const app: App = {
      config: { dataDir, accountId: accountId(), host: '127.0.0.1', port: 0 },
      store,
      secrets: SecretBox.open(dataDir),
      now: () => new Date(),
      credentials: [],
      principalPolicies: (p) => principalPolicies(store, p),
      providers: [],
    };
    const report = checkSetup(app, { user: user!, role: role!, bucket: bucket!, ...(key !== undefined ? { key } : {}) });
    process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : render(report));
    return report.passed ? 0 : 1;
  } finally {
    store.close();
  }
}

const indent = (text: string, by: string) => text.split('\n').map((l) => by + l).join('\n');

function renderCheck(c: SetupCheck): string[] {
  const out = [`${c.passed ? 'passed' : 'FAILED'}  ${c.step}. ${c.title}`, indent(c.detail, '        ')];
  if (c.deciding) {
    out.push(`        ${c.passed ? 'Allowed' : 'Decided'} by: ${c.deciding.policy}${c.deciding.statement ? ` (Sid ${c.deciding.statement})` : ''}`);
    if (c.deciding.json) out.push(indent(c.deciding.json, '          '));
  }
  if (c.fix) out.push(`        Fix: put this in the ${c.fix.target}:`, indent(c.fix.json, '          '));
  return out;
}

function render(report: SetupReport): string {
  const failed = report.checks.filter((c) => !c.passed).length;
  const lines = report.checks.flatMap(renderCheck);
  lines.push(failed === 0 ? `All ${report.checks.length} steps pass.` : `${failed} of ${report.checks.length} steps fail.`);
  return lines.join('\n') + '\n';
}
