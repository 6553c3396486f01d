import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { toApiError } from '../../backend/errors';
import { renderApp, type } from '../../test/render';

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

async function openKnowledge(signedInAs: string) {
  const app = renderApp({ signedInAs });
  fireEvent.click(await screen.findByTestId('nav-knowledge'));
  await screen.findByTestId('page-knowledge');
  return app;
}

describe('knowledge base', () => {
  it('finds the starter articles by a two-character word and reads one', async () => {
    await openKnowledge('teller');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('知识库');
    type('kb-search', '热线');
    const hit = await screen.findByTestId('kb-hit-kb-start-fraud-zh');
    expect(within(hit).getByText('防范诈骗：不轻信、不透露、不转账')).toBeTruthy();
    expect(hit.textContent).toContain('热线');
    // Ranked: the article with 热线 in its text, not the ones without it.
    expect(screen.queryByTestId('kb-hit-kb-start-limits-zh')).toBeNull();
    fireEvent.click(hit);
    const article = await screen.findByTestId('kb-article-kb-start-fraud-zh');
    expect(within(article).getByTestId('kb-published').textContent).toContain('96110');
    expect(within(article).queryByTestId('kb-draft')).toBeNull();
    expect(await axeViolations(screen.getByTestId('page-knowledge'))).toEqual([]);
  }, 120_000);

  it('finds English by the start of a word and narrows by category', async () => {
    await openKnowledge('booth');
    type('kb-search', 'limit');
    await screen.findByTestId('kb-hit-kb-start-limits-en');
    fireEvent.change(screen.getByTestId('kb-category'), { target: { value: 'complaints' } });
    await waitFor(() => {
      expect(screen.queryByTestId('kb-hit-kb-start-limits-en')).toBeNull();
    });
    expect(screen.getByTestId('kb-count').textContent).toBe('找到 0 篇文章');
  }, 120_000);

  it('flags an article as out of date: the flag is queued for head office', async () => {
    const { backend } = await openKnowledge('teller');
    type('kb-search', '限额');
    fireEvent.click(await screen.findByTestId('kb-hit-kb-start-limits-zh'));
    fireEvent.click(await screen.findByTestId('kb-flag-open'));
    // An empty note is refused by core, in words on the field.
    fireEvent.click(screen.getByTestId('kb-flag-send'));
    expect(await screen.findByText('请说明哪里有误（1 至 1000 个字）。')).toBeTruthy();
    type('kb-flag-note', '二类钱包每日限额已调整');
    fireEvent.click(screen.getByTestId('kb-flag-send'));
    expect((await screen.findByTestId('kb-flagged')).textContent).toContain('知识库纠错 v1：钱包等级与限额');
    const queued = await backend.syncList(null);
    expect(queued.some((item) => item.kind === 'article.flag')).toBe(true);
    expect(await axeViolations(screen.getByTestId('page-knowledge'))).toEqual([]);
  }, 120_000);

  it('head office writes a draft and, as its author, is not offered to publish it', async () => {
    const { backend } = await openKnowledge('supervisor');
    fireEvent.click(await screen.findByTestId('kb-new'));
    type('kb-editor-title', '数字人民币钱包挂失');
    fireEvent.change(screen.getByTestId('kb-editor-category'), { target: { value: 'how-to' } });
    type('kb-editor-tags', '挂失，补办');
    type('kb-editor-body', '手机丢失时，请客户本人带身份证到网点办理挂失。');
    expect(await axeViolations(screen.getByTestId('page-knowledge'))).toEqual([]);
    fireEvent.click(screen.getByTestId('kb-editor-save'));
    const draft = await screen.findByTestId('kb-draft');
    expect(within(draft).getByTestId('kb-own-draft').textContent).toContain('须由总行另一位同事审核并发布');
    expect(within(draft).queryByTestId('kb-publish')).toBeNull();
    expect(screen.getByTestId('kb-not-published')).toBeTruthy();
    // The desk lists it; core refuses the author's publication even if asked directly.
    const desk = await backend.kbDesk();
    const mine = desk.drafts.find((d) => d.title === '数字人民币钱包挂失');
    expect(mine?.mayPublish).toBe(false);
    const refused = await backend.kbPublish({ id: mine?.id ?? '', version: 1 }).catch((err: unknown) => toApiError(err));
    expect(refused).toMatchObject({ code: 'conflict', fields: [{ field: 'id', code: 'kb_author_cannot_publish' }] });
    expect(await axeViolations(screen.getByTestId('page-knowledge'))).toEqual([]);
  }, 120_000);

  it('is linked from the complaint form: the drawer shows the complaint articles', async () => {
    renderApp({ signedInAs: 'complaints' });
    fireEvent.click(await screen.findByTestId('nav-complaints'));
    fireEvent.click(await screen.findByTestId('complaint-new'));
    fireEvent.click(await screen.findByTestId('kb-link-complaints'));
    const drawer = await screen.findByTestId('kb-link-complaints-drawer');
    fireEvent.click(await within(drawer).findByTestId('kb-hit-kb-start-complain-zh'));
    const article = await within(drawer).findByTestId('kb-article-kb-start-complain-zh');
    expect(article.textContent).toContain('15 天内作出处理决定');
  }, 120_000);
});
