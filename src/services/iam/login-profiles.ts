import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { AwsError } from '../../shared/aws-error.js';
import { KIND, lower, type LoginProfileDoc } from './schema.js';
import { date, entityAlreadyExists, isoNow, noSuchEntity, validationError } from './common.js';
import { authorizedUser } from './users.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `password` is the user's console password (false when the user has none). */
export function verifyPassword(store: MetadataStore, userName: string, password: string): boolean {
  const profile = store.get<LoginProfileDoc>(KIND.loginProfile, lower(userName));
  if (!profile) return false;
  const [scheme, salt, hash] = profile.PasswordHash.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return timingSafeEqual(actual, expected);
}

/**
 * AWS's default password policy (no account policy is configurable yet): at least 8 characters and
 * at least three of upper case, lower case, digits and symbols.
 */
function checkPasswordPolicy(password: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || classes < 3) {
    throw new AwsError('PasswordPolicyViolation', 'Password does not conform to the account password policy.', 400);
  }
}

const profileNotFound = (name: string) => noSuchEntity(`Login Profile for User ${name} cannot be found.`);
const profileOut = (p: LoginProfileDoc) => ({ UserName: p.UserName, CreateDate: date(p.CreateDate), PasswordResetRequired: p.PasswordResetRequired });

function createLoginProfile(input: { UserName?: string; Password?: string; PasswordResetRequired?: boolean }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:CreateLoginProfile', input.UserName);
  if (input.Password === undefined) throw validationError('Password is required to create a login profile for an IAM user.');
  const { store } = ctx.app;
  if (store.get(KIND.loginProfile, lower(user.UserName))) throw entityAlreadyExists(`Login Profile for user ${user.UserName} already exists.`);
  checkPasswordPolicy(input.Password);
  const profile: LoginProfileDoc = {
    UserName: user.UserName, CreateDate: isoNow(ctx), PasswordResetRequired: input.PasswordResetRequired ?? false, PasswordHash: hashPassword(input.Password),
  };
  store.transaction(() => {
    if (store.get(KIND.loginProfile, lower(user.UserName))) throw entityAlreadyExists(`Login Profile for user ${user.UserName} already exists.`);
    store.put(KIND.loginProfile, lower(user.UserName), profile);
  });
  return { LoginProfile: profileOut(profile) };
}

function getLoginProfile(input: { UserName?: string }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:GetLoginProfile', input.UserName);
  const profile = ctx.app.store.get<LoginProfileDoc>(KIND.loginProfile, lower(user.UserName));
  if (!profile) throw profileNotFound(user.UserName);
  return { LoginProfile: profileOut(profile) };
}

function updateLoginProfile(input: { UserName: string; Password?: string; PasswordResetRequired?: boolean }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:UpdateLoginProfile', input.UserName);
  const { store } = ctx.app;
  if (!store.get(KIND.loginProfile, lower(user.UserName))) throw profileNotFound(user.UserName);
  if (input.Password !== undefined) checkPasswordPolicy(input.Password);
  // Hash outside the transaction: scrypt is deliberately slow.
  const hash = input.Password === undefined ? undefined : hashPassword(input.Password);
  store.transaction(() => {
    const profile = store.get<LoginProfileDoc>(KIND.loginProfile, lower(user.UserName));
    if (!profile) throw profileNotFound(user.UserName);
    store.put(KIND.loginProfile, lower(user.UserName), {
      ...profile,
      ...(hash ? { PasswordHash: hash } : {}),
      ...(input.PasswordResetRequired !== undefined ? { PasswordResetRequired: input.PasswordResetRequired } : {}),
    });
  });
}

function deleteLoginProfile(input: { UserName?: string }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:DeleteLoginProfile', input.UserName);
  const { store } = ctx.app;
  store.transaction(() => {
    if (!store.delete(KIND.loginProfile, lower(user.UserName))) throw profileNotFound(user.UserName);
  });
}

export const operations: Record<string, OperationHandler> = {
  CreateLoginProfile: createLoginProfile,
  GetLoginProfile: getLoginProfile,
  UpdateLoginProfile: updateLoginProfile,
  DeleteLoginProfile: deleteLoginProfile,
};
