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
      }),
    ).toEqual({
      ...DEFAULT_SETTINGS,
      mutedWorkbins: ['u/w'],
      agentGroups: ['Billing', 'Support'],
    });
  });

  it('takes a change from the UI strictly, leaving out what the UI may not change', () => {
    expect(parseSettingsPatch({ agentGroups: ['Billing'], startAtLogin: true })).toEqual({
      agentGroups: ['Billing'],
    });
    for (const bad of [
      { agentGroups: 'Billing' },
      { agentGroups: [1] },
      { placeGroups: ['x'.repeat(256)] },
      { placeGroups: Array.from({ length: 51 }, (_, i) => `g${i}`) },
      { notificationsPaused: 1 },
    ])
      expect(parseSettingsPatch(bad)).toBeNull();
  });
});
