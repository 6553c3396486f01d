import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { toApiError } from '../../backend/errors';
import { openWorld } from '../../test/render';
import { CustomerWindow } from './CustomerWindow';

describe('the customer window (长辈版)', () => {
  it('shows only what core says is on and a yes stops the setup with the slogan and 96110', async () => {
    const { backend, world } = openWorld({ signedInAs: 'teller' });
    await world;
    const session = await backend.elderStart({ customerName: '王秀英', age: 72, draftId: null, customerId: null });
    render(<CustomerWindow backend={backend} />);
    expect((await screen.findByTestId('elder-title')).textContent).toBe('王秀英，您好');
    // The dev server's console has no voice: the window says so, and the step goes on.
    expect(screen.getByTestId('elder-no-voice').textContent).toContain('没有朗读声音');
    // Staff explain first: no answer buttons until core puts a question on screen.
    expect(screen.queryByTestId('elder-yes')).toBeNull();
    await backend.elderNext(session.id);
    // "Read it again" answers the screen as core has it now: the first question.
    fireEvent.click(screen.getByTestId('elder-repeat'));
    await waitFor(() => { expect(screen.getByTestId('elder-title').textContent).toBe('安全问题 第 1 题，共 4 题'); });
    fireEvent.click(screen.getByTestId('elder-no'));
    await waitFor(() => { expect(screen.getByTestId('elder-title').textContent).toBe('安全问题 第 2 题，共 4 题'); });
    fireEvent.click(screen.getByTestId('elder-yes'));
    await waitFor(() => { expect(screen.getByTestId('elder-customer').dataset.step).toBe('stopped'); });
    const text = screen.getByTestId('elder-customer').textContent;
    expect(text).toContain('不轻信、不透露、不转账');
    expect(text).toContain('96110');
    expect(screen.queryByTestId('elder-no')).toBeNull();
    // No override for the teller: core refuses to go on.
    const refused = await backend.elderNext(session.id).catch((e: unknown) => toApiError(e));
    expect(refused).toMatchObject({ code: 'conflict', fields: [{ field: 'step', code: 'elder_stopped_for_supervisor' }] });
    const results = await axe.run(screen.getByTestId('elder-customer'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);
  }, 120_000);
});
