import { createHash, timingSafeEqual } from 'node:crypto';
import type { App } from '../app.js';
import type { Principal } from '../gateway/context.js';
import { KIND, lower, type UserDoc } from '../services/iam/schema.js';
import { hashPassword, verifyPassword } from '../services/iam/login-profiles.js';

export interface SignInInput {
  mode?: unknown;
  accountId?: unknown;
  userName?: unknown;
  password?: unknown;
  accessKeyId?: unknown;
  secretAccessKey?: unknown;
}

/** The principal acting in a console session (its access key id is the session's own). */
export type ConsolePrincipal = Omit<Principal, 'accessKeyId'>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Checks sign-in credentials; undefined whenever anything is wrong, so the answer never tells which
 * part was (unknown user, wrong password, unknown key and wrong secret all look alike).
 */
export function verifySignIn(app: App, input: SignInInput): ConsolePrincipal | undefined {
  const mode = str(input.mode);
  if (mode === 'user') return passwordUser(app, str(input.accountId).trim(), str(input.userName).trim(), str(input.password));
  if (mode !== 'root' && mode !== 'access-key') return undefined;
  const akid = str(input.accessKeyId).trim();
  const resolved = akid ? app.credentials.map((c) => c.resolve(akid)).find(Boolean) : undefined;
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  const secretOk = timingSafeEqual(digest(resolved?.secretAccessKey ?? '\u0000'), digest(str(input.secretAccessKey)));
  if (!resolved || !secretOk || resolved.sessionToken !== undefined) return undefined;
  const p = resolved.principal;
  if (mode === 'root' ? p.type !== 'root' : p.type !== 'user' && p.type !== 'root') return undefined;
  const { accessKeyId: _, ...acting } = p;
  return acting;
}

function passwordUser(app: App, accountId: string, userName: string, password: string): ConsolePrincipal | undefined {
  const user = userName ? app.store.get<UserDoc>(KIND.user, lower(userName)) : undefined;
  if (!user || accountId !== app.config.accountId) {
    // Spend the same scrypt time as a real check, so timing does not reveal which users exist.
    hashPassword(password);
    return undefined;
  }
  if (!verifyPassword(app.store, user.UserName, password)) return undefined;
  return { type: 'user', arn: user.Arn, accountId: app.config.accountId, userId: user.UserId, userName: user.UserName };
}
