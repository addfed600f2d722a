import { describe, expect, it } from 'vitest';
import { createLabStore } from './store';
import { loadedEvent, telemetryEvent } from './events-testkit';

const loaded = loadedEvent;
const telemetry = telemetryEvent;

function loadedStore() {
  const store = createLabStore();
  store.getState().apply(loaded);
  for (let k = 0; k < 4; k++) store.getState().apply(telemetry(k));
  return store;
}

describe('the store’s change signals', () => {
  it('telemetry appends in place and bumps runsVersion once per batch; the cursor stays', () => {
    const store = loadedStore();
    const before = store.getState();
    const runs = before.runs;
    store.getState().setCursor(2);
    const atCursor = store.getState();
    store.getState().applyTelemetry([telemetry(4), telemetry(5)]);
    const after = store.getState();
    // The trap the version exists for: the same `runs` array, grown in place.
    expect(after.runs).toBe(runs);
    expect(after.runs[0]?.theta).toHaveLength(6);
    expect(after.runsVersion).toBe(atCursor.runsVersion + 1);
    expect(after.cursor).toBe(2);
    expect(after.step).toBe(5);
  });

  it('moving the timeline changes the cursor and not runsVersion', () => {
    const store = loadedStore();
    const before = store.getState();
    store.getState().setCursor(1);
    const moved = store.getState();
    expect(moved.cursor).toBe(1);
    expect(moved.runsVersion).toBe(before.runsVersion);
    store.getState().setCursor(null);
    expect(store.getState().cursor).toBeNull();
    expect(store.getState().runsVersion).toBe(before.runsVersion);
  });

  it('a load replaces the runs, bumps both versions and resets the cursor, in one update', () => {
    const store = loadedStore();
    store.getState().setCursor(1);
    const before = store.getState();
    let updates = 0;
    store.subscribe(() => updates++);
    store.getState().apply(loaded);
    const after = store.getState();
    expect(updates).toBe(1);
    expect(after.runs).not.toBe(before.runs);
    expect(after.runs[0]?.theta.length).toBe(0);
    expect(after.runsVersion).toBe(before.runsVersion + 1);
    expect(after.reportsVersion).toBe(before.reportsVersion + 1);
    expect(after.cursor).toBeNull();
  });

  it('a report bumps reportsVersion and runsVersion and appends in place', () => {
    const store = loadedStore();
    store
      .getState()
      .apply({ type: 'report', runs: [{ id: 'r', steps: [0], error: [0.5], spectrum: [2, 1] }] });
    const first = store.getState();
    const reports = first.reports;
    store
      .getState()
      .apply({ type: 'report', runs: [{ id: 'r', steps: [5], error: [0.25], spectrum: [3, 1] }] });
    const second = store.getState();
    expect(second.reports).toBe(reports);
    expect(second.reports['r']).toEqual({ steps: [0, 5], error: [0.5, 0.25], spectrum: [3, 1] });
    expect(second.reportsVersion).toBe(first.reportsVersion + 1);
    expect(second.runsVersion).toBe(first.runsVersion + 1);
  });
});
