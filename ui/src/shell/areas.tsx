import {
  AuditOutlined,
  CommentOutlined,
  FileSearchOutlined,
  LineChartOutlined,
  ReadOutlined,
  SettingOutlined,
  ShopOutlined,
  SyncOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { lazy, useState, type ComponentType } from 'react';
import type { Area } from '../bindings/Area';

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
  knowledge: ReadOutlined,
};

/** Where each feature screen's chunk comes from. */
const LOADERS: Record<Area, () => Promise<{ default: ComponentType }>> = {
  customers: () => import('../features/customers/CustomersPage').then((m) => ({ default: m.CustomersPage })),
  onboarding: () => import('../features/onboarding/OnboardingPage').then((m) => ({ default: m.OnboardingPage })),
  booth: () => import('../features/booth/BoothPage').then((m) => ({ default: m.BoothPage })),
  complaints: () => import('../features/complaints/ComplaintsPage').then((m) => ({ default: m.ComplaintsPage })),
  disputes: () => import('../features/disputes/DisputesPage').then((m) => ({ default: m.DisputesPage })),
  insights: () => import('../features/insights/InsightsPage').then((m) => ({ default: m.InsightsPage })),
  audit: () => import('../features/audit/AuditPage').then((m) => ({ default: m.AuditPage })),
  settings: () => import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
  sync: () => import('../features/sync/SyncPage').then((m) => ({ default: m.SyncPage })),
  knowledge: () => import('../features/knowledge/KnowledgePage').then((m) => ({ default: m.KnowledgePage })),
};

/** Screens whose chunk has loaded, so opening them again (or in a test) never suspends. */
const LOADED = new Map<Area, ComponentType>();
const LAZY = new Map<Area, ComponentType>();

function load(area: Area): Promise<{ default: ComponentType }> {
  return LOADERS[area]().then((module) => {
    LOADED.set(area, module.default);
    return module;
  });
}

/**
 * The screen of an area. Each feature screen is its own chunk, loaded the first time its area
 * is opened: the sign-in screen and the first screen after it parse only what they show, which
 * keeps the web process's JS heap (most of the app's idle memory) small. The caller wraps it
 * in Suspense and keys it by area; the component is chosen once per mount, so a page never
 * remounts (losing what staff typed) when its chunk arrives.
 */
export function AreaPage({ area }: { area: Area }) {
  const [Page] = useState(() => {
    const ready = LOADED.get(area);
    if (ready !== undefined) return ready;
    let pending = LAZY.get(area);
    if (pending === undefined) {
      pending = lazy(() => load(area));
      LAZY.set(area, pending);
    }
    return pending;
  });
  return <Page />;
}

/**
 * Loads every feature chunk now. For the component tests: under fake timers a first import
 * takes real time and several turns that no timer advance gives it; once loaded, opening a
 * screen renders at once, as it did before screens were split.
 */
export async function preloadAreaPages(): Promise<void> {
  await Promise.all((Object.keys(LOADERS) as Area[]).map(load));
}

export function AreaIcon({ area }: { area: Area }) {
  const Icon = ICONS[area];
  return <Icon aria-hidden />;
}
