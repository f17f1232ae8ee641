// The setup assistant (console) and `tailor doctor`: the five permission steps of the Personalize guide,
// each decided by the policy engine against the live policies, with what decided and the JSON that fixes it.
import type { App } from '../app.js';
import { gather } from './subjects.js';
import { roleTrustsPersonalize, userCanUsePersonalize, userPassesRoleOnlyToPersonalize } from './steps.js';
import { personalizeReadsBucket, personalizeUsesKey } from './data-steps.js';

export interface SetupInput {
  user: string;
  role: string;
  bucket: string;
  /** Key id, alias/…, key ARN or alias ARN; without it the data is taken to be unencrypted and step 5 is not checked. */
  key?: string;
}

export interface SetupCheck {
  step: 1 | 2 | 3 | 4 | 5;
  title: string;
  passed: boolean;
  /** One sentence: what was checked and what decided it. */
  detail: string;
  /** The statement that allowed or denied: where it lives (policy name or ARN), its Sid, its JSON. */
  deciding?: { policy: string; statement?: string; json?: string };
  /**
   * Where the fix goes and the whole JSON to put there. Targets: `inline policy P of user|group|role N`,
   * `managed policy ARN (as its new default version)`, `trust policy of role R`, `bucket policy of s3://B`,
   * `key policy of KEY-ARN`, `EnableKey request for key KEY-ARN` (the JSON is the request); fixRequest()
   * (fix-request.ts) turns one into the API call that applies it.
   */
  fix?: { target: string; json: string };
}

export interface SetupReport {
  passed: boolean;
  checks: SetupCheck[];
}

/** Checks the setup for `input`; reads the store only. Missing users, roles, buckets or keys fail their steps. */
export function checkSetup(app: App, input: SetupInput): SetupReport {
  const s = gather(app, input);
  const checks = [userCanUsePersonalize(s), userPassesRoleOnlyToPersonalize(s), roleTrustsPersonalize(s), personalizeReadsBucket(s)];
  if (input.key !== undefined) checks.push(personalizeUsesKey(s, input.key));
  return { passed: checks.every((c) => c.passed), checks };
}
