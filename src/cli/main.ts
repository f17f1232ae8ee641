import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { start } from '../main.js';
import { why } from './why.js';
import { doctor } from './doctor.js';
import { progress } from './progress.js';
import { externalS3Config } from '../storage/objects/external.js';

const USAGE = `Usage: tailor serve [--port 4599] [--host 127.0.0.1] [--data-dir ./.tailor]
                    [--s3-endpoint URL --s3-access-key-id ID --s3-secret-access-key SECRET]
       tailor why --principal ARN --action ACTION --resource ARN [--context key=value ...] [--data-dir DIR]
       tailor doctor --user NAME --role NAME --bucket NAME [--key ID] [--data-dir DIR] [--json]
       tailor progress SOLUTION_VERSION_ARN [--data-dir DIR]

serve: serves IAM, STS, KMS, S3 and Amazon Personalize APIs on one endpoint.
why:   explains an authorisation decision from the stored policies (exit 0 allowed, 1 denied).
doctor: checks the Personalize permission setup step by step and prints the fixes (exit 0 all pass, 1 some fail).
progress: a solution version's training as a progress bar until it settles (exit 0 ACTIVE, 1 failed or stopped).
Environment: TAILOR_DATA_DIR, TAILOR_ACCOUNT_ID, TAILOR_ROOT_ACCESS_KEY_ID, TAILOR_ROOT_SECRET_ACCESS_KEY;
  TAILOR_S3_ENDPOINT, TAILOR_S3_ACCESS_KEY_ID, TAILOR_S3_SECRET_ACCESS_KEY, TAILOR_S3_REGION (default us-east-1):
  import data is read from that S3-compatible service (path-style) instead of the embedded store.`;

/** The account the data dir's resources belong to (TAILOR_ACCOUNT_ID). */
function accountIdFromEnv(): string {
  const accountId = process.env.TAILOR_ACCOUNT_ID ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new Error('TAILOR_ACCOUNT_ID must be 12 digits');
  return accountId;
}

async function serve(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4599' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: process.env.TAILOR_DATA_DIR ?? './.tailor' },
      's3-endpoint': { type: 'string' },
      's3-access-key-id': { type: 'string' },
      's3-secret-access-key': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const accountId = accountIdFromEnv();
  const externalS3 = externalS3Config(
    { endpoint: values['s3-endpoint'], accessKeyId: values['s3-access-key-id'], secretAccessKey: values['s3-secret-access-key'] },
    process.env,
  );
  const running = await start({ dataDir: resolve(values['data-dir']!), accountId, host: values.host!, port, externalS3 });
  if (running.root.generated) {
    process.stdout.write(
      `Root credentials (shown once; kept encrypted in ${running.app.config.dataDir}):\n` +
        `  AWS_ACCESS_KEY_ID=${running.root.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${running.root.secretAccessKey}\n`,
    );
  }
  process.stdout.write(`Tailor listening on ${running.url} (account ${accountId})\n`);
  const stop = () => running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'why':
      process.exitCode = await why(rest);
      return;
    case 'doctor':
      process.exitCode = await doctor(rest, accountIdFromEnv);
      return;
    case 'progress':
      process.exitCode = await progress(rest);
      return;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return;
    default:
      process.stderr.write(`tailor: unknown command '${command}'\n${USAGE}\n`);
      process.exitCode = 2;
  }
}
