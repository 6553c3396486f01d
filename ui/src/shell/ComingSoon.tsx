import { ToolOutlined } from '@ant-design/icons';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** What will come on a page that is still a placeholder, in plain words. */
export function ComingSoon({ items }: { items: string[] }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="coming-soon" aria-labelledby={id}>
      <h2 id={id}>
        <ToolOutlined aria-hidden /> {t('placeholder.comingTitle')}
      </h2>
      <p className="muted">{t('placeholder.notYet')}</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
