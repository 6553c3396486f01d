import type { CustomerHit } from '../bindings/CustomerHit';

/**
 * Demo customers for the in-memory backend, and a search that mirrors the Rust one
 * (crates/core/src/customers/search.rs): the typed text picks the lookup. Pinyin initials are
 * given here rather than computed, to keep a pinyin table out of the UI bundle.
 */
interface DemoCustomer {
  id: string;
  name: string;
  initials: string;
  maskedResidentId: string;
  mobile: string;
  /** Kept here as the Rust store keeps it sealed: only the age ever leaves (see ageToday). */
  birthDate: string;
  wallets: string[];
  cardsLast4: string[];
}

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { id: '1', name: '张三丰', initials: 'zsf', maskedResidentId: '110105********002X', mobile: '13812345678', birthDate: '1949-12-31', wallets: ['6000000000000001'], cardsLast4: ['9876'] },
  { id: '2', name: '张三', initials: 'zs', maskedResidentId: '440524********0013', mobile: '13900001111', birthDate: '1980-01-01', wallets: ['6000000000000002'], cardsLast4: [] },
  { id: '3', name: '李四', initials: 'ls', maskedResidentId: '310104********1234', mobile: '13700002222', birthDate: '1992-06-15', wallets: ['6000000000000003'], cardsLast4: ['4321'] },
  { id: '4', name: '王芳', initials: 'wf', maskedResidentId: '330106********5528', mobile: '15800003333', birthDate: '1958-03-08', wallets: [], cardsLast4: [] },
  { id: '5', name: '欧阳娜娜', initials: 'oynn', maskedResidentId: '510107********004X', mobile: '18600004444', birthDate: '2012-09-01', wallets: ['6000000000000005'], cardsLast4: [] },
];

const MAX_HITS = 20;

function maskMobile(mobile: string): string {
  return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
}

/** Completed years today: what a hit shows instead of the birth date, which the masked ID hides. */
export function ageToday(birthDate: string, now: Date = new Date()): number {
  const [y = 0, m = 1, d = 1] = birthDate.split('-').map(Number);
  let years = now.getFullYear() - y;
  const month = now.getMonth() + 1;
  if (month < m || (month === m && now.getDate() < d)) years -= 1;
  return Math.max(0, years);
}

function hit(c: DemoCustomer, matchedOn: string): CustomerHit {
  return {
    id: c.id,
    name: c.name,
    maskedResidentId: c.maskedResidentId,
    maskedMobile: maskMobile(c.mobile),
    age: ageToday(c.birthDate),
    matchedOn,
  };
}

export function searchDemoCustomers(text: string): CustomerHit[] {
  // Full-width input from a Chinese IME folds to ASCII, as normalize_typed does in core.
  let q = text.normalize('NFKC').replace(/\s+/g, '');
  if (q.startsWith('+86')) q = q.slice(3);
  if (q === '') return [];
  const probes: [string, (c: DemoCustomer) => boolean][] = [];
  if (/^\d+$/.test(q)) {
    if (q.length === 11) probes.push(['mobile', (c) => c.mobile === q]);
    else if (q.length === 16) probes.push(['wallet', (c) => c.wallets.includes(q)]);
    else if (q.length === 6) {
      probes.push(['idFirst6', (c) => c.maskedResidentId.startsWith(q)]);
      probes.push(['mobile', (c) => c.mobile.startsWith(q)]);
    } else if (q.length === 4) {
      probes.push(['idLast4', (c) => c.maskedResidentId.endsWith(q)]);
      probes.push(['card', (c) => c.cardsLast4.includes(q)]);
    } else if (q.length >= 3) probes.push(['mobile', (c) => c.mobile.startsWith(q)]);
  } else if (/^\d{3}[xX]$/.test(q)) {
    probes.push(['idLast4', (c) => c.maskedResidentId.endsWith(q.toUpperCase())]);
  } else if (/^[A-Za-z]+$/.test(q)) {
    const lower = q.toLowerCase();
    probes.push(['initials', (c) => c.initials.startsWith(lower)]);
  } else {
    probes.push(['name', (c) => c.name.startsWith(q)]);
  }
  const hits: CustomerHit[] = [];
  for (const [matchedOn, test] of probes) {
    for (const c of DEMO_CUSTOMERS) {
      if (hits.length >= MAX_HITS) return hits;
      if (test(c) && !hits.some((h) => h.id === c.id)) hits.push(hit(c, matchedOn));
    }
  }
  return hits;
}
