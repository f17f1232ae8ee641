import { setSession } from './api.js';

/** What the server's console API answers on sign-in and session refresh. */
export interface SessionAnswer {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
  principalArn: string;
  accountId: string;
  csrfToken: string;
  /** Minutes of inactivity after which the server forgets the session. */
  idleMinutes: number;
}

export interface SignInInput {
  mode: 'root' | 'user' | 'access-key';
  accountId?: string;
  userName?: string;
  password?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** The CSRF token lives in sessionStorage (per tab, unreadable cross-site), the session id in an HttpOnly cookie. */
const CSRF_KEY = 'tailor.csrf';
let idleMinutes = 15;
let principal = '';

export const principalArn = () => principal;

function adopt(a: SessionAnswer): void {
  sessionStorage.setItem(CSRF_KEY, a.csrfToken);
  idleMinutes = a.idleMinutes;
  principal = a.principalArn;
  setSession({ ...a.credentials, principalArn: a.principalArn, accountId: a.accountId });
}

/** POST/GET to the console's own API with the CSRF header; throws Error(message) on refusal. */
export async function consoleApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const r = await fetch(`/console/api/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': sessionStorage.getItem(CSRF_KEY) ?? '' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(answer.message ?? `HTTP ${r.status}`), { code: answer.code, status: r.status });
  return answer as T;
}

export async function signIn(input: SignInInput): Promise<void> {
  adopt(await consoleApi<SessionAnswer>('POST', 'signin', input));
}

/** After a reload: the cookie and the tab's CSRF token bring the session back, or resolve false. */
export async function restore(): Promise<boolean> {
  if (!sessionStorage.getItem(CSRF_KEY)) return false;
  try {
    adopt(await consoleApi<SessionAnswer>('GET', 'session'));
    return true;
  } catch {
    return false;
  }
}

export async function signOut(): Promise<void> {
  await consoleApi('POST', 'signout', {}).catch(() => undefined);
  sessionStorage.removeItem(CSRF_KEY);
  setSession(undefined);
  principal = '';
}

/**
 * Idle expiry in the page: activity refreshes the server session (at most once a minute, which also
 * renews credentials close to expiry); `onExpired` runs once the idle limit passes.
 */
export function watchIdle(onExpired: () => void): () => void {
  let last = Date.now();
  let pinged = Date.now();
  const active = () => {
    last = Date.now();
    if (last - pinged > 60_000) {
      pinged = last;
      restore().then((ok) => { if (!ok) onExpired(); });
    }
  };
  const events = ['keydown', 'pointerdown', 'wheel'];
  for (const e of events) addEventListener(e, active, { passive: true });
  const timer = setInterval(() => {
    if (Date.now() - last > idleMinutes * 60_000) onExpired();
  }, 15_000);
  return () => {
    clearInterval(timer);
    for (const e of events) removeEventListener(e, active);
  };
}

/** The setup assistant's check, run by the server with the policy engine (see src/setup/check.ts). */
export const setupCheck = <T = any>(input: { user: string; role: string; bucket: string; key?: string }) =>
  consoleApi<T>('POST', 'setup-check', input);

/** A solution version's training phase and percentage (kept by Tailor; not in AWS's Describe). */
export const trainingProgress = (solutionVersionArn: string) =>
  consoleApi<{ status?: string; trainingProgress?: { phase: string; percent: number } }>('POST', 'training-progress', { solutionVersionArn });

export type PolicyCheck = { valid: true } | { valid: false; message: string; line: number; column: number };

/** The policy engine's verdict on a document (the same validation CreatePolicy applies), with the error's line and column. */
export const validatePolicy = (document: string, type: 'identity' | 'trust' | 'resource' | 'key') =>
  consoleApi<PolicyCheck>('POST', 'validate-policy', { document, type });
