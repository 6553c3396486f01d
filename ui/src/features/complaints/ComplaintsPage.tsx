import { BarChartOutlined, FieldTimeOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueKind } from '../../bindings/QueueKind';
import { PageFrame } from '../../shell/PageFrame';
import { CaseView } from './CaseView';
import { IntakeForm } from './IntakeForm';
import { PendingExtensions } from './PendingExtensions';
import { QueueView } from './QueueView';
import { StatsView } from './StatsView';
import { useMe } from './shared';

type View = { name: 'queue' | 'new' | 'pending' | 'stats' } | { name: 'case'; id: number };

/** Mirrors the core's ApproveComplaintExtension / ViewComplaintStats, only to show the views. */
const SUPERVISOR = 'supervisor';

export function ComplaintsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [view, setView] = useState<View>({ name: 'queue' });
  const [queue, setQueue] = useState<QueueKind>('mine');
  const supervisor = me.role === SUPERVISOR;
  const open = (id: number) => {
    setView({ name: 'case', id });
  };
  const tabs: { name: 'queue' | 'pending' | 'stats'; icon: ReactNode; show: boolean }[] = [
    { name: 'queue', icon: <UnorderedListOutlined aria-hidden />, show: true },
    { name: 'pending', icon: <FieldTimeOutlined aria-hidden />, show: supervisor },
    { name: 'stats', icon: <BarChartOutlined aria-hidden />, show: supervisor },
  ];
  const current = view.name === 'new' || view.name === 'case' ? 'queue' : view.name;

  return (
    <PageFrame area="complaints" title={t('area.complaints')} intro={t('complaints.intro')}>
      <nav aria-label={t('complaints.viewsLabel')} className="complaints-views">
        {tabs
          .filter((x) => x.show)
          .map((x) => (
            <Button
              key={x.name}
              data-testid={`complaints-view-${x.name}`}
              icon={x.icon}
              type={current === x.name ? 'primary' : 'default'}
              aria-current={current === x.name ? 'page' : undefined}
              onClick={() => {
                setView({ name: x.name });
              }}
            >
              {t(`complaints.view.${x.name}`)}
            </Button>
          ))}
      </nav>
      {view.name === 'queue' && (
        <QueueView
          queue={queue}
          onQueue={setQueue}
          onOpen={open}
          onNew={() => {
            setView({ name: 'new' });
          }}
        />
      )}
      {view.name === 'new' && (
        <IntakeForm
          onCreated={open}
          onCancel={() => {
            setView({ name: 'queue' });
          }}
        />
      )}
      {view.name === 'case' && (
        <CaseView
          key={view.id}
          caseId={view.id}
          onOpen={open}
          onBack={() => {
            setView({ name: 'queue' });
          }}
        />
      )}
      {view.name === 'pending' && supervisor && <PendingExtensions onOpen={open} />}
      {view.name === 'stats' && supervisor && <StatsView />}
    </PageFrame>
  );
}
