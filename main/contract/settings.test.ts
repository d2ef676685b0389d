import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettingsPatch, readSettings } from './settings.js';

describe('settings', () => {
  it('reads saved settings leniently: a field that cannot be read takes its default', () => {
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(
      readSettings({
        notificationsPaused: 'yes',
        mutedWorkbins: ['u/w'],
        agentGroups: [' Billing ', 'Billing', 'Support'],
        placeGroups: [''],
        watchUsers: [' u-agent1', 'u-agent1', 7],
      }),
    ).toEqual({
      ...DEFAULT_SETTINGS,
      mutedWorkbins: ['u/w'],
      agentGroups: ['Billing', 'Support'],
    });
  });

  it('reads the popup shortcut and size strictly: an accelerator, a size it can show', () => {
    const read = (raw: object) => readSettings(raw);
    expect(read({ popupShortcut: 'CommandOrControl+Alt+W' }).popupShortcut).toBe(
      'CommandOrControl+Alt+W',
    );
    for (const bad of ['W', 'Ctrl+', '+W', 'Ctrl+Alt+W; rm -rf', 'x'.repeat(65), 7])
      expect(read({ popupShortcut: bad }).popupShortcut, String(bad)).toBeNull();
    expect(read({ popupSize: { width: 420, height: 640 } }).popupSize).toEqual({
      width: 420,
      height: 640,
    });
    for (const bad of [
      { width: 100, height: 640 },
      { width: 420.5, height: 640 },
      [420, 640],
      'big',
    ])
      expect(read({ popupSize: bad }).popupSize, JSON.stringify(bad)).toBeNull();
    // Neither is the UI's to change.
    expect(parseSettingsPatch({ popupShortcut: 'Alt+W', popupSize: null })).toEqual({});
  });

  it('takes a change from the UI strictly, leaving out what the UI may not change', () => {
    expect(
      parseSettingsPatch({
        agentGroups: ['Billing'],
        watchUsers: ['u-agent1'],
        startAtLogin: true,
      }),
    ).toEqual({ agentGroups: ['Billing'], watchUsers: ['u-agent1'] });
    for (const bad of [
      { agentGroups: 'Billing' },
      { agentGroups: [1] },
      { placeGroups: ['x'.repeat(256)] },
      { placeGroups: Array.from({ length: 51 }, (_, i) => `g${i}`) },
      { notificationsPaused: 1 },
      { watchUsers: [null] },
      { watchUsers: Array.from({ length: 51 }, (_, i) => `u${i}`) },
    ])
      expect(parseSettingsPatch(bad)).toBeNull();
  });
});
