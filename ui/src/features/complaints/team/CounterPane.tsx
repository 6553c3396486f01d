import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamStatus } from '../../../bindings/TeamStatus';
import { IntakeForm } from '../IntakeForm';

/**
 * Logging a complaint at the counter, for staff who do not work the queue. In team mode it
 * goes to the team's queue, or is kept sealed here while the server is away (core forwards it
 * with its receipt date); alone, into this console's desk.
 */
export function CounterPane({ team }: { team: TeamStatus | undefined }) {
  const { t } = useTranslation();
  const [logged, setLogged] = useState<string | null>(null);
  // The answer replaces the long form: left below it, it sat above the fold where the
  // submit button had scrolled the page, and a teller who saw nothing would log it twice.
  if (logged !== null) {
    return (
      <section className="panel" aria-live="polite">
        <Alert className="form-alert" type="success" showIcon role="status" data-testid="counter-logged" message={logged} />
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          data-testid="counter-log-another"
          onClick={() => {
            setLogged(null);
          }}
        >
          {t('team.logAnother')}
        </Button>
      </section>
    );
  }
  return (
    <>
      <IntakeForm
        target={
          team?.enabled === true && team.team !== null
            ? {
                kind: 'team',
                team: team.team,
                onLogged: (intake) => {
                  setLogged(
                    intake.kind === 'registered'
                      ? t('team.logged', { caseNo: intake.case.caseNo, team: intake.case.team, due: intake.case.dueOn })
                      : t('team.held', { receivedOn: intake.receivedOn }),
                  );
                },
              }
            : {
                kind: 'desk',
                onCreated: (detail) => {
                  setLogged(t('team.loggedHere', { caseNo: detail.caseNo, due: detail.dueOn }));
                },
              }
        }
      />
    </>
  );
}
