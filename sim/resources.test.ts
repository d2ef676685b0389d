import { describe, expect, it } from 'vitest';
import { newInteractionId } from './resources.js';

describe('interaction ids', () => {
  it('look like GWS ids (16 upper-case hex) and never repeat', () => {
    const ids = Array.from({ length: 20_000 }, () => newInteractionId());
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^[0-9A-F]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
