// Campaigns and recommenders of a dataset group (`#/personalize-campaigns?group=…`): create, list
// with live status, delete, and a link to test each in the test panel.
import { field, h, input, link, select, showError, table, when } from '../dom.js';
import { arnName, createForm, deleteButton, describeAll, describedGroup, listAll, pz, section, statusCell, unlessGone } from '../personalize/common.js';
import { keepDrawn, settled } from '../personalize/live.js';

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const datasetGroupArn = params.get('group');
  const group = await describedGroup(root, datasetGroupArn, 'personalize-campaigns', 'Campaigns and recommenders');
  if (!group) return;
  const testLink = (kind: 'campaign' | 'recommender', arn: string, name: string) => {
    const a = link('personalize-test', { group: datasetGroupArn!, [kind]: arn }, 'Test');
    a.setAttribute('aria-label', `Test ${kind} ${name}`);
    return a;
  };

  const versionSelect = select([], { name: 'solutionVersionArn', required: true });
  const campaigns = h('div', { 'aria-live': 'polite' });
  const loadCampaigns = async () => {
    const solutions = await listAll('ListSolutions', 'solutions', { datasetGroupArn });
    const [found, versions] = await Promise.all([
      Promise.all(solutions.map((s) => unlessGone(listAll('ListCampaigns', 'campaigns', { solutionArn: s.solutionArn }), []))),
      Promise.all(solutions.map(async (s) => (await unlessGone(listAll('ListSolutionVersions', 'solutionVersions', { solutionArn: s.solutionArn }), []))
        .filter((v) => v.status === 'ACTIVE').map((v) => [v.solutionVersionArn, `${s.name} / ${arnName(v.solutionVersionArn)}`] as [string, string]))),
    ]);
    // The solution version a campaign serves is only in its full description.
    const rows = await describeAll('DescribeCampaign', 'campaign', found.flat().map((c) => ({ campaignArn: c.campaignArn })));
    return { rows, versions: versions.flat() };
  };
  const drawCampaigns = () => keepDrawn(campaigns, loadCampaigns, ({ rows, versions }) => {
    const chosen = versionSelect.value;
    versionSelect.replaceChildren(...versions.map(([arn, label]) => h('option', { value: arn }, label)));
    if (chosen) versionSelect.value = chosen;
    campaigns.replaceChildren(table(rows, [
      { label: 'Campaign name', value: (c) => c.name },
      { label: 'Solution version', value: (c) => c.solutionVersionArn ? `${arnName(c.solutionVersionArn.split('/').slice(-2, -1)[0])} / ${arnName(c.solutionVersionArn)}` : '' },
      { label: 'Minimum provisioned TPS', value: (c) => c.minProvisionedTPS ?? '' },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (c) => when(c.creationDateTime) },
      { label: 'Actions', value: (c) => [
        c.status === 'ACTIVE' ? testLink('campaign', c.campaignArn, c.name) : null,
        deleteButton(campaigns, `campaign ${c.name}`, () => pz('DeleteCampaign', { campaignArn: c.campaignArn }), drawCampaigns)] },
    ], 'Campaigns', 'No campaigns yet: a campaign serves an ACTIVE solution version.'));
    return rows.some((c) => !settled(c.status));
  });
  const campaignName = input({ name: 'campaignName', required: true, autocomplete: 'off' });
  const tps = input({ name: 'minProvisionedTPS', inputmode: 'numeric', pattern: '[0-9]+' });
  tps.defaultValue = '1';
  const campaignForm = createForm('Create campaign', 'Create campaign', [
    field('Campaign name', campaignName),
    field('Solution version', versionSelect, 'Only ACTIVE solution versions can be deployed.'),
    field('Minimum provisioned transactions per second', tps),
  ], () => pz('CreateCampaign', { name: campaignName.value.trim(), solutionVersionArn: versionSelect.value, minProvisionedTPS: Number(tps.value || 1) }), drawCampaigns);

  const recommenders = h('div', { 'aria-live': 'polite' });
  const drawRecommenders = () => keepDrawn(recommenders, () => listAll('ListRecommenders', 'recommenders', { datasetGroupArn }), (rows) => {
    recommenders.replaceChildren(table(rows, [
      { label: 'Recommender name', value: (r) => r.name },
      { label: 'Use case', value: (r) => arnName(r.recipeArn) },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (r) => when(r.creationDateTime) },
      { label: 'Actions', value: (r) => [
        r.status === 'ACTIVE' ? testLink('recommender', r.recommenderArn, r.name) : null,
        deleteButton(recommenders, `recommender ${r.name}`, () => pz('DeleteRecommender', { recommenderArn: r.recommenderArn }), drawRecommenders)] },
    ], 'Recommenders', group.domain ? 'No recommenders yet.' : 'Recommenders belong to domain dataset groups (E-commerce, Video on demand).'));
    return rows.some((r) => !settled(r.status));
  });

  root.append(section('Campaigns', campaigns, campaignForm));
  const draws = [drawCampaigns()];
  const recommenderSection = section('Recommenders', recommenders);
  if (group.domain) {
    let useCases: any[] = [];
    try {
      useCases = await listAll('ListRecipes', 'recipes', { domain: group.domain });
    } catch (e) {
      showError(recommenders, e);
    }
    const name = input({ name: 'recommenderName', required: true, autocomplete: 'off' });
    const useCase = select(useCases.map((r) => [r.recipeArn, r.name] as [string, string]), { name: 'recipeArn' });
    recommenderSection.append(createForm('Create recommender', 'Create recommender', [
      field('Recommender name', name),
      field('Use case', useCase),
    ], () => pz('CreateRecommender', { name: name.value.trim(), datasetGroupArn, recipeArn: useCase.value }), drawRecommenders));
  }
  root.append(recommenderSection);
  draws.push(drawRecommenders());
  await Promise.all(draws);
}
