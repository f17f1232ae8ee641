import { h, replace, showError, button } from './dom.js';
import { principalArn, restore, signOut, watchIdle } from './session.js';

type Screen = { render(root: HTMLElement, params: URLSearchParams): Promise<void> };

/**
 * Hash routes (`#/<name>?…`) → screen modules, loaded on first use so one screen's failure never takes
 * the others down. The Personalize and setup-assistant rows are screens/personalize-*.ts and
 * screens/setup-assistant.ts.
 */
const ROUTES: Record<string, () => Promise<Screen>> = {
  home: () => import('./screens/home.js'),
  policies: () => import('./screens/policies.js'),
  policy: () => import('./screens/policy.js'),
  'create-policy': () => import('./screens/create-policy.js'),
  users: () => import('./screens/users.js'),
  user: () => import('./screens/user.js'),
  groups: () => import('./screens/groups.js'),
  group: () => import('./screens/group.js'),
  roles: () => import('./screens/roles.js'),
  role: () => import('./screens/role.js'),
  'create-role': () => import('./screens/create-role.js'),
  buckets: () => import('./screens/buckets.js'),
  bucket: () => import('./screens/bucket.js'),
  keys: () => import('./screens/keys.js'),
  key: () => import('./screens/key.js'),
  'personalize-dataset-groups': () => import('./screens/personalize-dataset-groups.js'),
  'personalize-dataset-group': () => import('./screens/personalize-dataset-group.js'),
  'personalize-solutions': () => import('./screens/personalize-solutions.js'),
  'personalize-campaigns': () => import('./screens/personalize-campaigns.js'),
  'personalize-test': () => import('./screens/personalize-test.js'),
  'personalize-filters': () => import('./screens/personalize-filters.js'),
  'setup-assistant': () => import('./screens/setup-assistant.js'),
};

/** The navigation, grouped by service as AWS's console is. */
const NAV: [string, [string, string][]][] = [
  ['IAM', [['policies', 'Policies'], ['users', 'Users'], ['groups', 'User groups'], ['roles', 'Roles']]],
  ['S3', [['buckets', 'Buckets']]],
  ['KMS', [['keys', 'Customer managed keys']]],
  ['Personalize', [
    ['personalize-dataset-groups', 'Dataset groups'], ['personalize-solutions', 'Solutions'], ['personalize-campaigns', 'Campaigns'],
    ['personalize-test', 'Test'], ['personalize-filters', 'Filters'],
  ]],
  ['Tailor', [['setup-assistant', 'Setup assistant']]],
];

const app = document.getElementById('app')!;
let stopIdle: (() => void) | undefined;
let generation = 0;

function parseHash(): { name: string; params: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  return { name: (q < 0 ? raw : raw.slice(0, q)) || 'home', params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function shell(): HTMLElement {
  const current = parseHash().name;
  const main = h('main', { id: 'main', tabindex: '-1' });
  const nav = h('nav', { 'aria-label': 'Services' },
    NAV.map(([group, items]) => h('section', null, h('h2', null, group), h('ul', null,
      items.map(([route, label]) => h('li', null, h('a', { href: `#/${route}`, 'aria-current': route === current ? 'page' : false }, label)))))));
  replace(app,
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#/home' }, 'Tailor console'),
      h('span', { class: 'who', title: principalArn() }, principalArn()),
      button('Sign out', async () => {
        await signOut();
        showSignIn('You have signed out.');
      })),
    h('div', { class: 'layout' }, nav, main));
  return main;
}

async function route(): Promise<void> {
  const mine = ++generation;
  const { name, params } = parseHash();
  const main = shell();
  const load = ROUTES[name];
  if (!load) {
    replace(main, h('h1', { tabindex: '-1' }, 'Page not found'), h('p', null, `No console page is called “${name}”.`));
    return;
  }
  try {
    const screen = await load();
    if (mine !== generation) return;
    await screen.render(main, params);
  } catch (e) {
    if (mine !== generation) return;
    showError(main, e);
    // A screen that failed before drawing still gets a heading to land on, above AWS's message.
    if (!main.querySelector('h1')) main.prepend(h('h1', { tabindex: '-1' }, 'This page could not be loaded'));
  }
  // Keyboard and screen-reader users land on the new page's heading.
  if (mine === generation) (main.querySelector('h1') as HTMLElement | null ?? main).focus();
}

async function showSignIn(notice?: string): Promise<void> {
  stopIdle?.();
  stopIdle = undefined;
  removeEventListener('hashchange', route);
  const screen = await import('./screens/signin.js');
  await screen.render(app, new URLSearchParams(notice ? { notice } : {}), started);
}

/** Called once signed in: the routed console, with idle expiry watching. */
function started(): void {
  stopIdle = watchIdle(async () => {
    await signOut();
    showSignIn('Your session expired after a period of inactivity. Sign in again.');
  });
  addEventListener('hashchange', route);
  route();
}

restore().then((ok) => (ok ? started() : showSignIn()));
