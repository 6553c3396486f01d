import i18n from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import zhCN from '../../i18n/zh-CN.json';
import { actionLabel } from './actions';
import { detailText } from './detail';

async function translator(lng: 'zh-CN' | 'en') {
  const instance = i18n.createInstance();
  await instance.init({ lng, resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } } });
  return instance.t;
}

describe('audit detail', () => {
  it('reads as labelled text in the staff member language, not JSON', async () => {
    const t = await translator('zh-CN');
    expect(detailText(t, '{"role":"supervisor","mustChangePassword":false}', '—')).toBe('角色：主管；须修改密码：否');
    expect(detailText(t, 'null', '—')).toBe('—');
    expect(detailText(t, '{}', '—')).toBe('—');
    expect(detailText(t, '{"idleLockSecs":[300,600]}', '—')).toBe('空闲锁屏秒数：300 → 600');
    const english = await translator('en');
    expect(detailText(english, '{"role":"supervisor","outboxId":7}', '—')).toBe('Role: Supervisor; Outbox item: 7');
  });

  it('keeps a key or value it has no words for, as it is', async () => {
    const t = await translator('en');
    expect(detailText(t, '{"newKey":"x"}', '—')).toBe('newKey: x');
    expect(detailText(t, 'not json', '—')).toBe('not json');
  });

  it('names actions in words, training seed included', async () => {
    const t = await translator('zh-CN');
    expect(actionLabel(t, 'training.staff_seeded')).toBe('创建培训模式员工');
    expect(actionLabel(t, 'newer.action')).toBe('newer.action');
  });
});
