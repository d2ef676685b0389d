/** One thing that went wrong, as the diagnostics view lists it. */
export interface DiagnosticsEntry {
  readonly at: number;
  /** `problem`: a request or sync failed; `rejected`: a server message could not be used. */
  readonly kind: 'problem' | 'rejected';
  readonly text: string;
}

export interface DiagnosticsReport {
  readonly problems: number;
  readonly rejected: number;
  /** The latest entries, oldest first. */
  readonly recent: readonly DiagnosticsEntry[];
  /** Where the durable log is, for support; null when there is none. */
  readonly logFile: string | null;
}

export const EMPTY_DIAGNOSTICS: DiagnosticsReport = {
  problems: 0,
  rejected: 0,
  recent: [],
  logFile: null,
};
