// What the events API has recorded, per dataset group, in the form serving reads: each user's
// recent interactions, live popularity counts, and item/user/action records from Put*. The journal
// is the durable copy; this state is rebuilt from it on first use after a start. A group is keyed
// by its ARN and creation time, so a group deleted and made again under the same name starts empty.
// A KMS-keyed group's records are sealed in the journal under a data key from its KMS key, used as
// its role (one key per group per run; read back through KMS at start).
import { randomBytes } from 'node:crypto';
import type { App } from '../../app.js';
import { AwsError } from '../../shared/aws-error.js';
import { KIND, type DatasetGroupDoc } from '../personalize/schema.js';
import { groupKeys } from '../personalize/keys.js';
import { WorkFailure } from '../personalize/lifecycle.js';
import { Journal, journalPath, type JournalKey } from './journal.js';
import { memo } from '../personalize/store-memo.js';

export type Properties = Record<string, string | number | boolean | null>;

export interface LiveEvent {
  itemId: string;
  /** Lower-cased: event types match case-insensitively. */
  type: string;
  /** Epoch seconds. */
  t: number;
}

/** Live events kept per user (the filters read the 100 most recent per event type). */
const MAX_PER_USER = 1000;

export class GroupLive {
  /** Bumps whenever item, user or action records change (serving caches key on it). */
  version = 0;
  readonly events = new Map<string, LiveEvent[]>();
  /** sessionId → the userId it was later linked to. */
  readonly sessions = new Map<string, string>();
  readonly eventIds = new Set<string>();
  readonly itemCounts = new Map<string, number>();
  /** Bumps whenever itemCounts changes. */
  countsVersion = 0;
  readonly items = new Map<string, Properties>();
  readonly users = new Map<string, Properties>();
  readonly actions = new Map<string, Properties>();
  readonly actionEvents = new Map<string, LiveEvent[]>();
}

/** One journal record. */
export type Record_ =
  | { k: 'event'; g: string; userId?: string; sessionId: string; itemId?: string; type: string; t: number; eventId?: string; value?: number; props?: Properties; rec?: string; imp?: string[] }
  | { k: 'item' | 'user' | 'action'; g: string; id: string; props: Properties }
  | { k: 'actionEvent'; g: string; userId?: string; sessionId: string; actionId: string; type: string; t: number; eventId?: string; props?: Properties };

interface State {
  journal: Journal;
  groups: Map<string, GroupLive>;
  /** Per group key: its data key, or null when the group has no KMS key. */
  keys: Map<string, JournalKey | null>;
}

const states = new WeakMap<App, State>();

/** The key of a group's live state: ARN plus creation time. */
export function groupKey(app: App, groupArn: string): string | undefined {
  return memo(app, `group ${groupArn}`, () => {
    const g = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
    return g && `${groupArn}@${g.creationDateTime}`;
  });
}

function pushCapped(map: Map<string, LiveEvent[]>, key: string, e: LiveEvent): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(e);
  if (list.length > MAX_PER_USER) list.splice(0, list.length - MAX_PER_USER);
}

function apply(groups: Map<string, GroupLive>, r: Record_): void {
  let g = groups.get(r.g);
  if (!g) groups.set(r.g, (g = new GroupLive()));
  switch (r.k) {
    case 'event': {
      if (r.eventId !== undefined) {
        if (g.eventIds.has(r.eventId)) return;
        g.eventIds.add(r.eventId);
      }
      if (r.userId !== undefined && !g.sessions.has(r.sessionId)) {
        g.sessions.set(r.sessionId, r.userId);
        // Events recorded anonymously under this session now belong to the user too.
        for (const e of g.events.get(r.sessionId) ?? []) pushCapped(g.events, r.userId, e);
      }
      if (r.itemId === undefined) return;
      const e = { itemId: r.itemId, type: r.type.toLowerCase(), t: r.t };
      pushCapped(g.events, r.userId ?? r.sessionId, e);
      const before = g.itemCounts.get(r.itemId);
      g.itemCounts.set(r.itemId, (before ?? 0) + 1);
      g.countsVersion++;
      // An item seen for the first time joins the catalogue.
      if (before === undefined) g.version++;
      return;
    }
    case 'actionEvent':
      pushCapped(g.actionEvents, r.userId ?? r.sessionId, { itemId: r.actionId, type: r.type.toLowerCase(), t: r.t });
      return;
    case 'item':
    case 'user':
    case 'action': {
      const map = r.k === 'item' ? g.items : r.k === 'user' ? g.users : g.actions;
      map.set(r.id, { ...map.get(r.id), ...r.props });
      g.version++;
    }
  }
}

/** The group a live-state key names, while it is the same group (not deleted and made again). */
function groupOfKey(app: App, g: string): DatasetGroupDoc | undefined {
  const at = g.lastIndexOf('@');
  const doc = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, g.slice(0, at));
  return doc?.creationDateTime === g.slice(at + 1) ? doc : undefined;
}

/** Opens a sealed journal key through the group's KMS key; a group gone, or a key it cannot use, leaves its records unread. */
function openKey(app: App, g: string, sealed: Buffer): Buffer | undefined {
  const doc = groupOfKey(app, g);
  try {
    return doc && groupKeys(app, doc)?.open(sealed);
  } catch (e) {
    if (e instanceof WorkFailure) return undefined;
    throw e;
  }
}

function state(app: App): State {
  let s = states.get(app);
  if (!s) {
    const journal = new Journal(journalPath(app.config.dataDir));
    const groups = new Map<string, GroupLive>();
    for (const r of journal.readAll((g, sealed) => openKey(app, g, sealed))) apply(groups, r as Record_);
    states.set(app, (s = { journal, groups, keys: new Map() }));
  }
  return s;
}

/** The data key a group's records are sealed under (made through KMS on the group's first records of this run). */
function keyOf(app: App, s: State, groupArn: string, g: string): JournalKey | undefined {
  const hit = s.keys.get(g);
  if (hit !== undefined) return hit ?? undefined;
  const doc = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
  let key: JournalKey | null = null;
  try {
    const keeper = doc && groupKeys(app, doc);
    if (keeper) {
      const k = keeper.newKey();
      key = { id: randomBytes(8).toString('hex'), g, plaintext: k.plaintext, sealed: k.sealed.toString('base64') };
    }
  } catch (e) {
    // Not remembered: once the key or role is usable again, so are the calls.
    if (e instanceof WorkFailure) throw new AwsError('InvalidInputException', e.message, 400);
    throw e;
  }
  s.keys.set(g, key);
  return key ?? undefined;
}

/** Reads the event journal back at start, so that the first request does not wait for its replay. */
export function openEvents(app: App): void {
  state(app);
}

/** Closes the event journal at shutdown (the next use reopens it). */
export function closeEvents(app: App): void {
  states.get(app)?.journal.close();
  states.delete(app);
}

/** The live state of a group (empty when nothing was recorded). */
export function liveOf(app: App, groupArn: string): GroupLive | undefined {
  const key = groupKey(app, groupArn);
  return key === undefined ? undefined : state(app).groups.get(key);
}

/** Makes records (all of `groupArn`) durable, then visible to serving; resolves once both are done. */
export async function record(app: App, groupArn: string, records: Record_[]): Promise<void> {
  if (records.length === 0) return;
  const s = state(app);
  await s.journal.append(records, keyOf(app, s, groupArn, records[0].g));
  for (const r of records) apply(s.groups, r);
}
