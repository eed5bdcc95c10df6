import type { Finding } from '../policy/finding.js';

export type CheckName = 'secrets' | 'dependencies' | 'exceptions' | 'sbom' | 'licences' | 'policy';

/** A policy finding plus what the gate needs to waive it and to point at it in SARIF. */
export interface GateFinding extends Finding {
  readonly check: CheckName;
  /** The id an entry in .runway/exceptions.yaml must name to accept this finding; absent: it cannot be waived. */
  readonly exceptionId?: string;
  /** The repository-relative file the finding is about (SARIF needs a location for every result). */
  readonly file: string;
  /** 1-based line in `file`, when the finding is on one. */
  readonly line?: number;
}

/** A finding an exception accepted: reported (SARIF suppression), never blocking. */
export interface WaivedFinding extends GateFinding {
  readonly waivedBy: {
    readonly id: string;
    readonly owner: string;
    readonly reason: string;
    readonly expires: string;
  };
}

const LINE = /^line (\d+)$/;

/** Lifts a policy finding on a repository file into a gate finding with a SARIF location. */
export const fromPolicyFinding = (finding: Finding, file: string): GateFinding => {
  const line = LINE.exec(finding.path)?.[1];
  return { ...finding, check: 'policy', file, ...(line ? { line: Number(line) } : {}) };
};

export const isBlocking = (finding: GateFinding): boolean => finding.severity === 'error';
