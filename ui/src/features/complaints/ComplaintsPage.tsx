import {
  BarChartOutlined,
  BulbOutlined,
  FieldTimeOutlined,
  SettingOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Button } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskPane } from '../../bindings/DeskPane';
import type { QueueKind } from '../../bindings/QueueKind';
import { PageFrame } from '../../shell/PageFrame';
import { CaseView } from './CaseView';
import { DeskSettingsView } from './DeskSettingsView';
import { IntakeForm } from './IntakeForm';
import { PendingExtensions } from './PendingExtensions';
import { QueueView } from './QueueView';
import { StatsView } from './StatsView';
import { SuggestionsView } from './SuggestionsView';
import { useDesk } from './desk';

type View = { name: DeskPane } | { name: 'new' } | { name: 'case'; id: number };

const ICONS: Record<DeskPane, ReactNode> = {
  queue: <UnorderedListOutlined aria-hidden />,
  suggestions: <BulbOutlined aria-hidden />,
  pending: <FieldTimeOutlined aria-hidden />,
  stats: <BarChartOutlined aria-hidden />,
  settings: <SettingOutlined aria-hidden />,
};

export function ComplaintsPage() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [view, setView] = useState<View>({ name: 'queue' });
  const [queue, setQueue] = useState<QueueKind>('mine');
  // Core lists the panes the signed-in role may open (the same permissions guard their commands).
  const panes = desk?.panes ?? ['queue'];
  const shows = (pane: DeskPane) => panes.includes(pane);
  const open = (id: number) => {
    setView({ name: 'case', id });
  };
  const current = view.name === 'new' || view.name === 'case' ? 'queue' : view.name;

  return (
    <PageFrame area="complaints" title={t('area.complaints')} intro={t('complaints.intro')}>
      <nav aria-label={t('complaints.viewsLabel')} className="complaints-views">
        {panes.map((name) => (
          <Button
            key={name}
            data-testid={`complaints-view-${name}`}
            icon={ICONS[name]}
            type={current === name ? 'primary' : 'default'}
            aria-current={current === name ? 'page' : undefined}
            onClick={() => {
              setView({ name });
            }}
          >
            {t(`complaintDesk.pane.${name}`)}
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
      {view.name === 'suggestions' && shows('suggestions') && desk !== undefined && (
        <SuggestionsView mayReward={desk.mayManage} />
      )}
      {view.name === 'pending' && shows('pending') && <PendingExtensions onOpen={open} />}
      {view.name === 'stats' && shows('stats') && <StatsView />}
      {view.name === 'settings' && shows('settings') && desk !== undefined && <DeskSettingsView desk={desk} />}
    </PageFrame>
  );
}
