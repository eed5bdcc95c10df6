/** What `runway up` learned about the machine and the repository before deciding anything. */
export interface ToolProbe {
  readonly installed: boolean;
  /** `major.minor.patch` when the tool printed a version. */
  readonly version?: string;
}

export interface DockerProbe {
  readonly cliInstalled: boolean;
  readonly engineRunning: boolean;
  /** First line of the engine's error, when the CLI is there but the engine is not. */
  readonly engineError?: string;
  readonly cpus?: number;
  readonly memoryBytes?: number;
}

export interface ClusterProbe {
  readonly exists: boolean;
  readonly healthy: boolean;
  /** Why an existing cluster is not healthy. */
  readonly problem?: string;
}

/** A long-running container runway owns (the registry, the git server). */
export interface ContainerProbe {
  readonly exists: boolean;
  readonly running: boolean;
  readonly image?: string;
  readonly onKindNetwork: boolean;
}

export interface GitProbe {
  readonly headSha?: string;
}

export interface MachineProbes {
  readonly docker: DockerProbe;
  readonly kind: ToolProbe;
  readonly kubectl: ToolProbe;
  readonly freeMemoryBytes: number;
  /** Ports on 127.0.0.1 that runway needs and that something already listens on. */
  readonly busyPorts: readonly number[];
  readonly dockerfilePresent: boolean;
  readonly cluster: ClusterProbe;
  readonly registry: ContainerProbe;
  readonly gitServer: ContainerProbe;
  readonly git: GitProbe;
}

/** Extracts `1.2.3` from output such as `kind v0.31.0 go1.25 linux/amd64` or `v1.35.0`. */
export const parseVersion = (text: string): string | undefined => /v?(\d+\.\d+\.\d+)/.exec(text)?.[1];

export const versionAtLeast = (version: string, minimum: readonly number[]): boolean => {
  const parts = version.split('.').map(Number);
  for (let index = 0; index < minimum.length; index += 1) {
    const have = parts[index] ?? 0;
    const need = minimum[index] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
};
