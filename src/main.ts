import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, Config, CredentialSource } from './app.js';
import { SqliteStore } from './storage/metadata/sqlite.js';
import { SecretBox } from './shared/secret-box.js';
import { loadRootCredentials, rootCredentialSource, type RootCredentials } from './accounts/root.js';
import { iamProvider } from './services/iam/index.js';
import { iamUserCredentialSource } from './services/iam/credentials.js';
import { principalPolicies } from './services/iam/principal-policies.js';
import { stsProvider } from './services/sts/index.js';
import { kmsProvider } from './services/kms/index.js';
import { s3Provider, objectStoreFor } from './services/s3/index.js';
import { personalizeProvider, startPersonalize } from './services/personalize/index.js';
import { personalizeRuntimeProvider } from './services/personalize-runtime/index.js';
import { personalizeEventsProvider } from './services/personalize-events/index.js';
import { closeEvents, openEvents } from './services/personalize-events/live.js';
import { sessionCredentialSource } from './services/sts/sessions.js';
import { Gateway } from './gateway/pipeline.js';
import { ExternalObjectStore } from './storage/objects/external.js';
import { readServiceDataFrom } from './services/s3/service-api.js';
import { startServer } from './server/http.js';
import { consoleHandler, isConsoleRequest } from './console/server.js';

export interface Running {
  app: App;
  server: Server;
  url: string;
  root: RootCredentials;
  close(): Promise<void>;
}

/** Composition root: config → stores → credentials → services → pipeline → HTTP server. */
export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** The clock every request reads (tests move it to expire credentials). */
  now?: () => Date;
  /** Background jobs (status transitions, imports, training): off leaves them queued in the store
   *  for the next start; `stepMs` is how often the scheduler looks for work. */
  jobs?: { enabled?: boolean; stepMs?: number };
}

export async function start(config: Config, opts: StartOptions = {}): Promise<Running> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = new SqliteStore(`${config.dataDir}/metadata.sqlite`);
  const secrets = SecretBox.open(config.dataDir);
  const root = loadRootCredentials(config.dataDir, secrets, env);
  const credentials: CredentialSource[] = [
    rootCredentialSource(config.accountId, root),
    iamUserCredentialSource(store, secrets, config.accountId),
    sessionCredentialSource(store, secrets),
  ];
  const app: App = {
    config,
    store,
    secrets,
    now: opts.now ?? (() => new Date()),
    credentials,
    principalPolicies: (principal) => principalPolicies(store, principal),
    providers: [
      iamProvider, stsProvider, kmsProvider, s3Provider, personalizeProvider, personalizeRuntimeProvider, personalizeEventsProvider,
    ],
  };
  // Opening the object store recovers from an interrupted upload before the first request.
  objectStoreFor(app);
  const external = config.externalS3 ? await ExternalObjectStore.connect(config.externalS3) : undefined;
  if (external) readServiceDataFrom(app, external);
  // Live events are read back before the server listens (a large journal takes seconds).
  openEvents(app);
  // Background work (status transitions, imports, training) resumes from the store.
  const stopPersonalize = opts.jobs?.enabled === false ? async () => {} : startPersonalize(app, { stepMs: opts.jobs?.stepMs });
  const gateway = new Gateway(app, log);
  const health = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
  const webConsole = consoleHandler(app);
  const server = startServer((req) => (isConsoleRequest(req) ? webConsole(req) : gateway.handle(req)), { '/_tailor/health': health });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    app,
    server,
    url: `http://${host}:${port}`,
    root,
    close: () => new Promise<void>((resolve) => {
      server.close(async () => {
        await stopPersonalize();
        closeEvents(app);
        store.close();
        external?.close();
        resolve();
      });
      server.closeAllConnections();
    }),
  };
}
