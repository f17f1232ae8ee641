// Solutions and recipes of a dataset group (`#/personalize-solutions?group=…`): "Create solution"
// with a recipe from ListRecipes, each solution's versions with their training status and time,
// "Create solution version", and a version's metrics as a chart.
import { button, field, h, input, run, select, showError, table, when } from '../dom.js';
import { arnName, createForm, deleteButton, describeAll, groupScreen, listAll, pz, section, statusCell, unlessGone } from '../personalize/common.js';
import { keepDrawn, settled } from '../personalize/live.js';
import { showMetrics } from '../personalize/metrics-panel.js';
import { trainingProgress } from '../session.js';

const hours = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(4)} hours` : '—');

/** Training status: a busy version shows its phase and a progress bar the screen reader names. */
function training(v: any) {
  if (settled(v.status)) return statusCell(v);
  const p = v.progress as { phase: string; percent: number } | undefined;
  const bar = h('progress', { 'aria-label': `Training ${arnName(v.solutionVersionArn)}`, max: '100', ...(p ? { value: String(p.percent) } : {}) });
  return [statusCell(v), bar, p ? h('span', { class: 'progress-text' }, ` ${p.phase} ${p.percent}%`) : null];
}

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const datasetGroupArn = params.get('group');
  if (!await groupScreen(root, datasetGroupArn, 'personalize-solutions', 'Solutions and recipes')) return;
  const metrics = h('section', { class: 'metrics', 'aria-labelledby': 'metrics-title' });
  const listPanel = h('div', null);

  const load = async () => {
    const solutions = await listAll('ListSolutions', 'solutions', { datasetGroupArn });
    const versions = await Promise.all(solutions.map(async (s) => {
      const summaries = await unlessGone(listAll('ListSolutionVersions', 'solutionVersions', { solutionArn: s.solutionArn }), []);
      // Training hours are only in the full description; progress only in Tailor's console API.
      const full = await describeAll('DescribeSolutionVersion', 'solutionVersion', summaries.map((v) => ({ solutionVersionArn: v.solutionVersionArn })));
      return Promise.all(full.map(async (v: any) => settled(v.status) ? v
        : { ...v, progress: (await trainingProgress(v.solutionVersionArn).catch(() => undefined))?.trainingProgress }));
    }));
    return { solutions, versions };
  };
  const draw = () => keepDrawn(listPanel, load, ({ solutions, versions }) => {
    listPanel.replaceChildren(
      table(solutions, [
        { label: 'Solution name', value: (s) => s.name },
        { label: 'Recipe', value: (s) => arnName(s.recipeArn) },
        { label: 'Status', value: statusCell },
        { label: 'Created', value: (s) => when(s.creationDateTime) },
        { label: 'Actions', value: (s) => [
          createVersionButton(s),
          deleteButton(listPanel, `solution ${s.name}`, () => pz('DeleteSolution', { solutionArn: s.solutionArn }), draw)] },
      ], 'Solutions', 'No solutions yet.'),
      ...solutions.map((s, i) => table(versions[i], [
        { label: 'Solution version ID', value: (v) => arnName(v.solutionVersionArn) },
        { label: 'Status', value: training },
        { label: 'Training mode', value: (v) => v.trainingMode ?? '' },
        { label: 'Training type', value: (v) => v.trainingType ?? '' },
        { label: 'Training hours', value: (v) => hours(v.trainingHours) },
        { label: 'Created', value: (v) => when(v.creationDateTime) },
        { label: 'Metrics', value: (v) => v.status === 'ACTIVE'
          ? button('Solution metrics', () => showMetrics(metrics, v.solutionVersionArn), { 'aria-label': `Solution metrics of version ${arnName(v.solutionVersionArn)}` })
          : '' },
      ], `Solution versions of ${s.name}`, 'No solution versions yet.')),
    );
    return solutions.some((s) => !settled(s.status)) || versions.flat().some((v) => !settled(v.status));
  });

  const createVersionButton = (s: any): HTMLButtonElement => {
    const btn: HTMLButtonElement = button('Create solution version', async () => {
      // A refusal shows beside the list, where its redrawing keeps it.
      if (await run(listPanel.parentElement ?? listPanel, btn, () => pz('CreateSolutionVersion', { solutionArn: s.solutionArn }))) await draw();
    }, { 'aria-label': `Create solution version of ${s.name}`, disabled: s.status !== 'ACTIVE' });
    return btn;
  };

  let group: any;
  let recipes: any[];
  try {
    [group, recipes] = await Promise.all([pz('DescribeDatasetGroup', { datasetGroupArn }).then((r) => r.datasetGroup), listAll('ListRecipes', 'recipes')]);
  } catch (e) {
    showError(root, e);
    return;
  }
  // Custom solutions use the recipes without a domain; domain use cases are recommenders.
  const custom = recipes.filter((r) => !r.domain);
  const name = input({ name: 'solutionName', required: true, autocomplete: 'off' });
  const recipe = select(custom.map((r) => [r.recipeArn, r.name] as [string, string]), { name: 'recipeArn' });
  // The recipe AWS recommends for most use cases is chosen at first (and after each create).
  for (const o of Array.from(recipe.options)) o.defaultSelected = o.textContent === 'aws-user-personalization-v2';
  const autoTraining = h('input', { type: 'checkbox', name: 'performAutoTraining' });
  const form = createForm('Create solution', 'Create solution', [
    field('Solution name', name),
    field('Recipe', recipe, 'The algorithm the solution trains with.'),
    h('div', { class: 'field checkbox' }, h('label', null, autoTraining, ' Turn on automatic training (a new version every 7 days)')),
  ], () => pz('CreateSolution', { name: name.value.trim(), datasetGroupArn, recipeArn: recipe.value, performAutoTraining: autoTraining.checked }), draw);

  if (group.domain) root.append(h('p', { class: 'hint' }, `This is a ${group.domain} dataset group: recommenders serve its use cases; custom solutions are also possible.`));
  root.append(section('Solutions', listPanel), form, metrics);
  await draw();
}
