// Test a campaign or recommender (`#/personalize-test?group=…&campaign=…|recommender=…`):
// GetRecommendations with a user, an item, a filter and its values, and how many results; and
// GetPersonalizedRanking of an input list. Results show item IDs with their scores.
import { call } from '../api.js';
import { field, h, header, input, replace, run, select, showError, table, textarea } from '../dom.js';
import { arnName, groupNav, listAll, pz, section } from '../personalize/common.js';

/** The placeholders (`$GENRE`) a filter expression takes values for, each once. */
const filterParameters = (expression: string) => [...new Set([...expression.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];

const runtime = <T = any>(operation: string, input: Record<string, unknown>) => call<T>('personalize-runtime', operation, input);

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const datasetGroupArn = params.get('group') ?? undefined;
  root.replaceChildren(header('Test campaign results'));
  if (datasetGroupArn) root.append(groupNav(datasetGroupArn, 'personalize-test'));
  let campaigns: any[];
  let recommenders: any[];
  let filters: any[];
  try {
    [campaigns, recommenders, filters] = await Promise.all([
      listAll('ListCampaigns', 'campaigns'),
      listAll('ListRecommenders', 'recommenders', datasetGroupArn ? { datasetGroupArn } : {}),
      listAll('ListFilters', 'Filters', datasetGroupArn ? { datasetGroupArn } : {}),
    ]);
  } catch (e) {
    showError(root, e);
    return;
  }
  const target = h('select', { name: 'target', required: true },
    h('optgroup', { label: 'Campaigns' }, campaigns.filter((c) => c.status === 'ACTIVE').map((c) => h('option', { value: c.campaignArn }, c.name))),
    h('optgroup', { label: 'Recommenders' }, recommenders.filter((r) => r.status === 'ACTIVE').map((r) => h('option', { value: r.recommenderArn }, r.name))));
  const preset = params.get('campaign') ?? params.get('recommender');
  if (preset) target.value = preset;
  const isRecommender = () => target.value.includes(':recommender/');

  const userId = input({ name: 'userId', autocomplete: 'off' });
  const itemId = input({ name: 'itemId', autocomplete: 'off' });
  const filter = select([['', 'No filter'], ...filters.filter((f) => f.status === 'ACTIVE').map((f) => [f.filterArn, f.name] as [string, string])], { name: 'filterArn' });
  const values = h('div', { class: 'filter-values' });
  const valueInputs = new Map<string, HTMLInputElement>();
  filter.addEventListener('change', async () => {
    valueInputs.clear();
    replace(values);
    const filterArn = filter.value;
    if (!filterArn) return;
    try {
      const { filter: f } = await pz('DescribeFilter', { filterArn });
      if (filter.value !== filterArn) return; // chosen again meanwhile: that change draws the fields
      for (const name of filterParameters(f.filterExpression ?? '')) {
        const el = input({ name: `filter-${name}`, autocomplete: 'off' });
        valueInputs.set(name, el);
        values.append(field(`Filter value for $${name}`, el, 'Quote each string, e.g. "comedy"; separate several with commas.'));
      }
    } catch (e) {
      showError(values, e);
    }
  });
  const numResults = input({ name: 'numResults', value: 25, inputmode: 'numeric', pattern: '[0-9]+' });
  const filterInput = () => {
    if (!filter.value) return {};
    const filterValues = Object.fromEntries([...valueInputs].filter(([, el]) => el.value.trim()).map(([k, el]) => [k, el.value.trim()]));
    return { filterArn: filter.value, ...(Object.keys(filterValues).length ? { filterValues } : {}) };
  };

  const results = h('section', { 'aria-labelledby': 'results-title', class: 'results' });
  const showResults = (title: string, items: any[], recommendationId?: string) => {
    const why = (it: any) => [...(it.reason ?? []), it.promotionName].filter(Boolean).join(', ');
    replace(results,
      h('h2', { id: 'results-title', tabindex: '-1' }, title),
      recommendationId ? h('p', null, 'Recommendation ID: ', h('code', null, recommendationId)) : null,
      table(items.map((it, i) => ({ ...it, rank: i + 1 })), [
        { label: 'Rank', value: (it) => it.rank },
        { label: 'Item ID', value: (it) => it.itemId },
        { label: 'Score', value: (it) => (typeof it.score === 'number' ? it.score.toFixed(4) : '—') },
        // Only some recipes give reasons (promotions, exploration): the column shows when one does.
        ...(items.some(why) ? [{ label: 'Reason', value: why }] : []),
      ], title, 'No items were recommended.'));
    (results.querySelector('h2') as HTMLElement).focus();
  };

  const recommendBtn = h('button', { type: 'submit', class: 'primary' }, 'Get recommendations');
  const recommendForm: HTMLFormElement = h('form', {
    'aria-label': 'Get recommendations',
    onsubmit: (e: Event) => {
      e.preventDefault();
      void run(recommendForm, recommendBtn, async () => {
        const out = await runtime('GetRecommendations', {
          [isRecommender() ? 'recommenderArn' : 'campaignArn']: target.value,
          ...(userId.value.trim() ? { userId: userId.value.trim() } : {}),
          ...(itemId.value.trim() ? { itemId: itemId.value.trim() } : {}),
          numResults: Number(numResults.value || 25),
          ...filterInput(),
        });
        showResults(`Recommendations from ${arnName(target.value)}`, out.itemList ?? [], out.recommendationId);
      });
    },
  },
  field('Campaign or recommender', target),
  field('User ID', userId, 'Required by user-personalization and popularity recipes.'),
  field('Item ID', itemId, 'Required by related-items recipes.'),
  field('Filter', filter), values,
  field('Number of results', numResults),
  h('div', { class: 'actions' }, recommendBtn));

  const inputList = textarea({ name: 'inputList', rows: 5 });
  const rankUser = input({ name: 'rankUserId', autocomplete: 'off' });
  const rankBtn = h('button', { type: 'submit' }, 'Get personalized ranking');
  const rankForm: HTMLFormElement = h('form', {
    'aria-label': 'Get personalized ranking',
    onsubmit: (e: Event) => {
      e.preventDefault();
      void run(rankForm, rankBtn, async () => {
        const out = await runtime('GetPersonalizedRanking', {
          campaignArn: target.value, userId: rankUser.value.trim(), inputList: inputList.value.split(/[\s,]+/).filter(Boolean), ...filterInput(),
        });
        showResults(`Personalized ranking from ${arnName(target.value)}`, out.personalizedRanking ?? [], out.recommendationId);
      });
    },
  },
  h('p', { class: 'hint' }, 'Ranks the items you list for a user with the chosen campaign (a personalized-ranking solution) and filter.'),
  field('User ID', rankUser),
  field('Item IDs to rank', inputList, 'One per line, or separated by commas.'),
  h('div', { class: 'actions' }, rankBtn));

  if (!target.querySelector('option')) root.append(h('p', null, 'No ACTIVE campaign or recommender yet: create one under Campaigns and recommenders.'));
  root.append(section('Get recommendations', recommendForm), section('Personalized ranking', rankForm), results);
}
