import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { App } from '../app.js';
import type { HttpRequest, HttpResponse, ProtocolName } from '../protocol/types.js';
import type { AuthzQuery } from '../gateway/context.js';
import { AwsError } from '../shared/aws-error.js';
import { authorizeQueries } from '../gateway/authorize.js';
import { checkSetup } from '../setup/check.js';
import { KIND as PERSONALIZE, type SolutionVersionDoc } from '../services/personalize/schema.js';
import { CONSOLE_SERVICES, modelView } from './model-view.js';
import { ConsoleSessions, IDLE_MINUTES, type ConsoleSession } from './sessions.js';
import { verifySignIn } from './sign-in.js';
import { PAGE, STYLES } from './page.js';
import { checkPolicy, isPolicyType } from './policy-check.js';

/** The compiled browser modules sit beside this module (dist/src/console/ui/). */
const UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));
const COOKIE = 'tailor_console';
const SIGN_IN_FAILED = 'Your authentication information is incorrect. Please try again.';

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Whether a request is for the console rather than an AWS API: its path is under /console and it is
 * not SigV4-signed (a signed `/console/…` request is S3 path-style access to a bucket named "console").
 */
export function isConsoleRequest(req: HttpRequest): boolean {
  if (req.path !== '/console' && !req.path.startsWith('/console/')) return false;
  return !req.headers.authorization && !req.query.some(([k]) => k === 'X-Amz-Credential');
}

const json = (status: number, body: unknown, extra: Record<string, string> = {}): HttpResponse => ({
  status, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json', ...extra }, body: JSON.stringify(body),
});
const refuse = (status: number, code: string, message: string) => json(status, { code, message });

function cookieOf(req: HttpRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq) === COOKIE) return part.slice(eq + 1);
  }
  return undefined;
}

const sessionCookie = (req: HttpRequest, value: string, maxAge: number) =>
  `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${req.secure ? '; Secure' : ''}`;

/** A cross-site page can neither send JSON without a preflight nor forge the Origin header. */
function crossSite(req: HttpRequest): boolean {
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) return true;
  return req.method === 'POST' && !String(req.headers['content-type'] ?? '').startsWith('application/json');
}

function bodyOf(req: HttpRequest): Record<string, unknown> {
  try {
    const v = JSON.parse(req.body.toString('utf8') || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function sessionAnswer(app: App, s: ConsoleSession, extra: Record<string, string> = {}): HttpResponse {
  const c = s.credentials;
  return json(200, {
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration.toISOString() },
    principalArn: s.principal.arn,
    accountId: app.config.accountId,
    csrfToken: s.csrfToken,
    idleMinutes: IDLE_MINUTES,
  }, extra);
}

/** The console: its page and browser modules, and the small API for sign-in, sessions and the setup check. */
export function consoleHandler(app: App): (req: HttpRequest) => Promise<HttpResponse> {
  const sessions = new ConsoleSessions(app);

  /** The session a request's cookie names, provided it carries that session's CSRF token. */
  function authenticated(req: HttpRequest): ConsoleSession | undefined {
    const id = cookieOf(req);
    const s = id ? sessions.touch(id) : undefined;
    return s && req.headers['x-csrf-token'] === s.csrfToken ? s : undefined;
  }

  const notSignedIn = () => refuse(401, 'NotSignedIn', 'Your session has ended. Sign in again.');

  /** Authorises the signed-in principal as the AWS operation the endpoint stands for would be. */
  const authorizeAs = (s: ConsoleSession, req: HttpRequest, protocol: ProtocolName, query: AuthzQuery) =>
    authorizeQueries(app, { ...s.principal, accessKeyId: s.credentials.AccessKeyId }, req, protocol, 'us-east-1', app.now(), [query]);

  const api: Record<string, (req: HttpRequest) => HttpResponse | Promise<HttpResponse>> = {
    'POST signin': (req) => {
      const principal = verifySignIn(app, bodyOf(req));
      if (!principal) return refuse(401, 'SignInFailed', SIGN_IN_FAILED);
      const s = sessions.open(principal);
      return sessionAnswer(app, s, { 'set-cookie': sessionCookie(req, s.id, 12 * 3600) });
    },
    'GET session': (req) => {
      const s = authenticated(req);
      return s ? sessionAnswer(app, s) : notSignedIn();
    },
    'POST signout': (req) => {
      const s = authenticated(req);
      if (!s) return refuse(403, 'InvalidCsrfToken', 'The request did not carry this session\'s CSRF token.');
      sessions.close(s.id);
      return json(200, {}, { 'set-cookie': sessionCookie(req, '', 0) });
    },
    'POST validate-policy': (req) => {
      if (!authenticated(req)) return notSignedIn();
      const { document, type } = bodyOf(req);
      if (typeof document !== 'string' || !isPolicyType(type)) return refuse(400, 'ValidationError', 'document (text) and type are required.');
      return json(200, checkPolicy(document, type));
    },
    'POST setup-check': (req) => {
      const s = authenticated(req);
      if (!s) return notSignedIn();
      const input = bodyOf(req);
      const names = ['user', 'role', 'bucket'].map((k) => input[k]);
      if (names.some((v) => typeof v !== 'string' || !v) || (input.key !== undefined && typeof input.key !== 'string')) {
        return refuse(400, 'ValidationError', 'user, role and bucket are required names; key is an optional key id.');
      }
      // The check reads every policy in the account, so it needs what reading them through IAM needs.
      authorizeAs(s, req, 'awsQuery', { action: 'iam:GetAccountAuthorizationDetails', resource: '*' });
      return json(200, checkSetup(app, { user: names[0] as string, role: names[1] as string, bucket: names[2] as string, key: input.key as string | undefined }));
    },
    // Training's phase and percentage: AWS's DescribeSolutionVersion has no member for them, so the
    // console asks here, allowed what DescribeSolutionVersion is allowed.
    'POST training-progress': (req) => {
      const s = authenticated(req);
      if (!s) return notSignedIn();
      const { solutionVersionArn } = bodyOf(req);
      if (typeof solutionVersionArn !== 'string' || !solutionVersionArn) return refuse(400, 'ValidationError', 'solutionVersionArn is required.');
      authorizeAs(s, req, 'awsJson1_1', { action: 'personalize:DescribeSolutionVersion', resource: solutionVersionArn });
      const doc = app.store.get<SolutionVersionDoc>(PERSONALIZE.solutionVersion, solutionVersionArn);
      return json(200, { status: doc?.status, trainingProgress: doc?.trainingProgress });
    },
  };

  return async (req) => {
    const path = req.path.replace(/\/+$/, '') || '/';
    if (req.method === 'GET' && path === '/console') {
      return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
    }
    if (req.method === 'GET' && path === '/console/console.css') {
      return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/css; charset=utf-8' }, body: STYLES };
    }
    const ui = /^\/console\/ui\/((?:[a-z0-9-]+\/)*[a-z0-9-]+\.js)$/.exec(path);
    if (req.method === 'GET' && ui) {
      const body = await readFile(UI_DIR + ui[1]).catch(() => undefined);
      return body
        ? { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/javascript; charset=utf-8' }, body }
        : refuse(404, 'NotFound', 'No such console file.');
    }
    const model = /^\/console\/api\/model\/([a-z0-9-]+)$/.exec(path);
    if (req.method === 'GET' && model && (CONSOLE_SERVICES as readonly string[]).includes(model[1])) {
      return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'max-age=3600' }, body: modelView(model[1] as never) };
    }
    const handler = api[`${req.method} ${path.replace('/console/api/', '')}`];
    if (!handler || !path.startsWith('/console/api/')) return refuse(404, 'NotFound', 'No such console page.');
    if (crossSite(req)) return refuse(403, 'CrossSiteRequest', 'Cross-site requests to the console are refused.');
    try {
      return await handler(req);
    } catch (e) {
      if (e instanceof AwsError) return json(e.status, { code: e.code, message: e.message });
      throw e;
    }
  };
}
