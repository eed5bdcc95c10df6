import type { RenderedFiles } from './write.js';

/** Reads the synth inputs under `root` and renders every generated file of `deploy/`. */
export const renderDeploy = async (_root: string): Promise<RenderedFiles> => new Map();
