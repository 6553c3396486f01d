import {
  BarChartOutlined,
  EditOutlined,
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
import { CounterPane } from './team/CounterPane';
import { TeamCaseView } from './team/TeamCaseView';
import { TeamPending } from './team/TeamPending';
import { TeamQueueView } from './team/TeamQueueView';
import { useTeamStatus } from './team/useTeam';

type View = { name: DeskPane } | { name: 'new' } | { name: 'case'; id: number };

const ICONS: Record<DeskPane, ReactNode> = {
  counter: <EditOutlined aria-hidden />,
  queue: <UnorderedListOutlined aria-hidden />,
  suggestions: <BulbOutlined aria-hidden />,
  pending: <FieldTimeOutlined aria-hidden />,
  stats: <BarChartOutlined aria-hidden />,
  settings: <SettingOutlined aria-hidden />,
};

export function ComplaintsPage() {
  const { t } = useTranslation();
  const desk = useDesk();
  const team = useTeamStatus();
  // Team mode: the queue, cases and approvals live on the team's server (core says which).
  const teamName = team?.enabled === true ? team.team : null;
  // Core lists the panes the signed-in role may open (the same permissions guard their commands).
  const panes = desk?.panes ?? [];
  const [chosen, setView] = useState<View | null>(null);
  const view: View = chosen ?? { name: panes[0] ?? 'queue' };
  const [queue, setQueue] = useState<QueueKind>('mine');
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
      {teamName !== null && (
        <p className="team-banner" data-testid="team-banner">
          {t('team.banner', { team: teamName })}
          {team !== undefined && team.held > 0 && ` ${t('team.heldCount', { n: team.held })}`}
        </p>
      )}
      {view.name === 'counter' && shows('counter') && <CounterPane team={team} />}
      {view.name === 'queue' && shows('queue') && teamName !== null && (
        <TeamQueueView team={teamName} onOpen={open} onNew={() => { setView({ name: 'new' }); }} />
      )}
      {view.name === 'queue' && shows('queue') && teamName === null && (
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
          target={
            teamName !== null
              ? {
                  kind: 'team',
                  team: teamName,
                  onLogged: (intake) => {
                    if (intake.kind === 'registered') open(intake.case.id);
                    else setView({ name: 'queue' });
                  },
                }
              : { kind: 'desk', onCreated: (detail) => { open(detail.id); } }
          }
          onCancel={() => {
            setView({ name: 'queue' });
          }}
        />
      )}
      {view.name === 'case' && teamName !== null && (
        <TeamCaseView key={view.id} caseId={view.id} onBack={() => { setView({ name: 'queue' }); }} />
      )}
      {view.name === 'case' && teamName === null && (
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
      {view.name === 'pending' && shows('pending') && teamName !== null && <TeamPending onOpen={open} />}
      {view.name === 'pending' && shows('pending') && teamName === null && <PendingExtensions onOpen={open} />}
      {view.name === 'stats' && shows('stats') && <StatsView />}
      {view.name === 'settings' && shows('settings') && desk !== undefined && <DeskSettingsView desk={desk} />}
    </PageFrame>
  );
}
