import {
  AuditOutlined,
  CommentOutlined,
  FileSearchOutlined,
  LineChartOutlined,
  SettingOutlined,
  ShopOutlined,
  SyncOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import type { ComponentType } from 'react';
import type { Area } from '../bindings/Area';
import { AuditPage } from '../features/audit/AuditPage';
import { BoothPage } from '../features/booth/BoothPage';
import { ComplaintsPage } from '../features/complaints/ComplaintsPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { DisputesPage } from '../features/disputes/DisputesPage';
import { InsightsPage } from '../features/insights/InsightsPage';
import { OnboardingPage } from '../features/onboarding/OnboardingPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SyncPage } from '../features/sync/SyncPage';

const ICONS: Record<Area, typeof TeamOutlined> = {
  customers: TeamOutlined,
  onboarding: UserAddOutlined,
  booth: ShopOutlined,
  complaints: CommentOutlined,
  disputes: FileSearchOutlined,
  insights: LineChartOutlined,
  audit: AuditOutlined,
  settings: SettingOutlined,
  sync: SyncOutlined,
};

export const AREA_PAGES: Record<Area, ComponentType> = {
  customers: CustomersPage,
  onboarding: OnboardingPage,
  booth: BoothPage,
  complaints: ComplaintsPage,
  disputes: DisputesPage,
  insights: InsightsPage,
  audit: AuditPage,
  settings: SettingsPage,
  sync: SyncPage,
};

export function AreaIcon({ area }: { area: Area }) {
  const Icon = ICONS[area];
  return <Icon aria-hidden />;
}
