// The enumerations a reader sees named: the contracts' codes with their Chinese labels (the
// contracts' own), and the English names next to them. The KPI catalogue builds its family labels
// from them and charts/labels.ts names breakdown rows with them, so both languages live in one place.
import { CHANNEL_TYPES, COMPLAINT_CATEGORIES, COMPLAINT_SOURCES, SEGMENTS, SERVICES, type EnumValue } from './contracts.ts';

export type Dimension = 'service' | 'segment' | 'channel_type' | 'category' | 'source';

export interface Enumeration {
  values: readonly EnumValue[];
  en: Readonly<Record<string, string>>;
}

export const ENUMERATIONS: Readonly<Record<Dimension, Enumeration>> = {
  service: {
    values: SERVICES,
    en: { mobile: 'Mobile', fixed_voice: 'Fixed voice', broadband: 'Broadband', iptv: 'IPTV' },
  },
  segment: {
    values: SEGMENTS,
    en: { personal: 'Personal', household: 'Household', enterprise: 'Gov. & enterprise' },
  },
  channel_type: {
    values: CHANNEL_TYPES,
    en: {
      self_run_hall: 'Own halls',
      partner_full: 'Class 1 partner halls',
      partner_store: 'Class 2 partner stores',
      service_point: 'Class 3 service points',
      online: 'Online hall',
      hotline: '10000 hotline',
      account_manager: 'Account managers',
    },
  },
  category: {
    values: COMPLAINT_CATEGORIES,
    en: {
      billing: 'Billing',
      network: 'Network quality',
      service_attitude: 'Staff attitude',
      product: 'Plans & products',
      installation: 'Installation & repair',
      other: 'Other',
    },
  },
  source: {
    values: COMPLAINT_SOURCES,
    en: {
      hotline: '10000 hotline',
      hall: 'Service halls',
      online: 'Online',
      media: 'Media',
      regulator: 'MIIT / regulator',
      upper_company: 'Province / group',
    },
  },
};
