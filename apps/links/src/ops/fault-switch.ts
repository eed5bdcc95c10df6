/** Answers a share of requests with an injected 500, for canary and alerting drills. Off unless enabled. */
export const createFaultSwitch = (
  enabled: boolean,
  initialRatio: number,
  random: () => number = Math.random,
) => {
  let errorRatio = enabled ? initialRatio : 0;
  return {
    enabled,
    errorRatio: () => errorRatio,
    setErrorRatio(ratio: number): void {
      errorRatio = ratio;
    },
    shouldFail: (): boolean => enabled && errorRatio > 0 && random() < errorRatio,
  };
};

export type FaultSwitch = ReturnType<typeof createFaultSwitch>;
