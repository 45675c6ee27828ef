// The shapes the server's HTTP API returns (architecture.md), as the dashboard reads them.

export type Role = 'executive' | 'analyst' | 'regional' | 'admin';

export interface User {
  name: string;
  role: Role;
  /** A regional user's only region; null for everyone else. */
  region_code: string | null;
}

export type { KpiResult, KpiValues, SeriesPoint } from '../../domain/kpi-answers.ts';

/** One row of a breakdown (by segment, channel type, complaint category or source). */
export type BreakdownRow = Record<string, string | number | null>;

export interface Slice {
  kind: string;
  region_code: string;
  period: string;
}

export interface LoadRecord {
  load_id: number;
  kind: string | null;
  file: string;
  status: string;
  rows_loaded: number | null;
  rows_rejected: number | null;
  started_at?: string | null;
  finished_at?: string | null;
  message?: string | null;
  slices: (Slice & { superseded_by?: number | null; superseded_by_load?: number | null; superseded?: boolean })[];
  superseded?: boolean;
  [extra: string]: unknown;
}

export interface RejectRow {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
  message?: string | null;
  message_zh?: string | null;
  message_en?: string | null;
  [extra: string]: unknown;
}

export interface IngestFileResult {
  file: string;
  kind: string | null;
  status: 'loaded' | 'duplicate' | 'refused';
  rows_loaded: number;
  rows_rejected: number;
  load_id: number | null;
  message: string | null;
}

export interface SchemaColumn {
  name: string;
  type: string;
}

export interface SchemaTable {
  name: string;
  schema?: string;
  kind?: string;
  columns: SchemaColumn[];
}

export interface SqlColumn {
  name: string;
  type: string;
}

/** Server-sent events the board reacts to. */
export interface ModelsEvent {
  run_id: number;
  data_version: number;
  slices: Slice[] | null;
}

export interface LoadEvent {
  load_id: number;
  kind: string | null;
  status: string;
  slices: Slice[];
}

/** An alert as GET /api/alerts and the `alert` event give it (targets.md "Interfaces"). */
export interface AlertEvent {
  id: number;
  rule: string;
  kpi: string;
  region_code: string;
  period: string;
  value: number | null;
  threshold: number | null;
  status: 'firing' | 'resolved';
  fired_at: string;
  resolved_at: string | null;
  acked_by: string | null;
  acked_at?: string | null;
  message_zh: string;
  message_en: string;
}

export interface AlertDeliveryLog {
  url: string;
  format?: string;
  tries: number;
  last_status: number | string | null;
  log?: { event: string; try: number; at: string; status_code: number | null; error: string | null }[];
}

export interface AlertItem extends AlertEvent {
  deliveries: AlertDeliveryLog[];
}
