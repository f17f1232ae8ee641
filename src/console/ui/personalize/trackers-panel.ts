// A dataset group's event tracker (one per group): "Create event tracker", its tracking ID (what
// PutEvents needs), status, delete.
import { field, h, input, table, when } from '../dom.js';
import { createForm, deleteButton, describeAll, listAll, pz, section, statusCell, type Panel } from './common.js';
import { keepDrawn, settled } from './live.js';

export function trackersPanel(datasetGroupArn: string): Panel {
  const listPanel = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const summaries = await listAll('ListEventTrackers', 'eventTrackers', { datasetGroupArn });
    // The tracking ID is only in the full description.
    return describeAll('DescribeEventTracker', 'eventTracker', summaries.map((t) => ({ eventTrackerArn: t.eventTrackerArn })));
  };
  const draw = () => keepDrawn(listPanel, load, (trackers) => {
    listPanel.replaceChildren(table(trackers, [
      { label: 'Event tracker name', value: (t) => t.name },
      { label: 'Tracking ID', value: (t) => h('code', null, t.trackingId ?? '') },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (t) => when(t.creationDateTime) },
      { label: 'Actions', value: (t) => deleteButton(listPanel, `event tracker ${t.name}`, () => pz('DeleteEventTracker', { eventTrackerArn: t.eventTrackerArn }), draw) },
    ], 'Event trackers', 'No event tracker: create one to record events with PutEvents.'));
    return trackers.some((t) => !settled(t.status));
  });
  const name = input({ name: 'trackerName', required: true, autocomplete: 'off' });
  const form = createForm('Create event tracker', 'Create event tracker', [field('Tracker name', name)],
    () => pz('CreateEventTracker', { name: name.value.trim(), datasetGroupArn }), draw);
  return { el: section('Event trackers', listPanel, form), draw };
}
