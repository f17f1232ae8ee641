import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { issueSession, revokeSession, type IssuedCredentials } from '../services/sts/sessions.js';
import type { ConsolePrincipal } from './sign-in.js';

/** A session forgets itself after this long without a request from its page. */
export const IDLE_MINUTES = 15;
/**
 * Credentials last 15 minutes (GetSessionToken's minimum), renewed while the page is in use, so ones
 * left in a signed-out page stop working soon after; renewal comes when less than this is left.
 */
const CREDENTIAL_SECONDS = 900;
const RENEW_WITHIN_MS = 10 * 60_000;
/** However active, a session ends after this long (AWS's console session is 12 hours). */
const MAX_SESSION_MS = 12 * 3600_000;

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  principal: ConsolePrincipal;
  credentials: IssuedCredentials;
  /** Every access key issued to this session (renewals add one): all end when the session does. */
  issued: string[];
  started: number;
  lastSeen: number;
}

/**
 * Console sessions, in memory (a restart signs everyone out). Each holds real STS session credentials,
 * issued as GetSessionToken issues them, so the page's calls go through the same gateway as any client's.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly app: App) {}

  open(principal: ConsolePrincipal): ConsoleSession {
    this.sweep();
    const now = this.app.now().getTime();
    const credentials = this.issue(principal, now);
    const s: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
      principal,
      credentials,
      issued: [credentials.AccessKeyId],
      started: now,
      lastSeen: now,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session with this id (touching it), or undefined when unknown, idle too long or too old. */
  touch(id: string | undefined): ConsoleSession | undefined {
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return undefined;
    const now = this.app.now().getTime();
    if (now - s.lastSeen > IDLE_MINUTES * 60_000 || now - s.started > MAX_SESSION_MS) {
      this.end(s);
      return undefined;
    }
    s.lastSeen = now;
    if (s.credentials.Expiration.getTime() - now < RENEW_WITHIN_MS) {
      s.credentials = this.issue(s.principal, now);
      s.issued.push(s.credentials.AccessKeyId);
    }
    return s;
  }

  close(id: string | undefined): void {
    const s = id ? this.sessions.get(id) : undefined;
    if (s) this.end(s);
  }

  /** Forgets the session and revokes its credentials, so a copy left in a page stops working at once. */
  private end(s: ConsoleSession): void {
    this.sessions.delete(s.id);
    for (const akid of s.issued) revokeSession(this.app.store, akid);
  }

  private issue(principal: ConsolePrincipal, now: number): IssuedCredentials {
    const { app } = this;
    // The same temporary principal GetSessionToken makes: the caller's identity, flagged temporary.
    return issueSession(app.store, app.secrets, { ...principal, temporary: true }, new Date(now + CREDENTIAL_SECONDS * 1000));
  }

  private sweep(): void {
    const now = this.app.now().getTime();
    for (const s of this.sessions.values()) if (now - s.lastSeen > IDLE_MINUTES * 60_000) this.end(s);
  }
}
