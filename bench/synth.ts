/**
 * Wall time of `runway synth` for every environment: read inputs, render, validate every object against its
 * schema, run every manifest policy, serialize to YAML. Target: < 2 s. Run: `npx tsx bench/synth.ts`.
 */
import { performance } from 'node:perf_hooks';
import { checkManifests, manifestRules } from '../packages/platform/src/policy/manifests/index.js';
import { environments } from '../packages/platform/src/spec/environments.js';
import { readInputs, renderDirectories, renderFiles } from '../packages/platform/src/synth/render.js';
import { validateObjects } from '../packages/platform/src/synth/validate.js';

const ROOT = new URL('..', import.meta.url).pathname;

const once = async () => {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const inputs = await readInputs(ROOT);
  const objects = renderDirectories(inputs).flatMap(({ objects }) => objects);
  const schemaStarted = performance.now();
  const schemaFindings = await validateObjects(objects);
  const policyStarted = performance.now();
  const policyFindings = checkManifests(objects);
  const files = renderFiles(inputs);
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuStarted);
  return {
    totalMs: finished - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    schemaMs: policyStarted - schemaStarted,
    policyMs: finished - policyStarted,
    objects: objects.length,
    kinds: new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`)).size,
    files: files.size,
    findings: schemaFindings.length + policyFindings.length,
  };
};

const cold = await once();
const warm: number[] = [];
for (let run = 0; run < 5; run += 1) warm.push((await once()).totalMs);
warm.sort((a, b) => a - b);

console.log(`environments        ${environments.map((env) => env.name).join(', ')}`);
console.log(`objects             ${cold.objects} (${cold.kinds} kinds, ${cold.files} files)`);
console.log(
  `checks              schema validation of every object + ${manifestRules.length} manifest policies`,
);
console.log(`findings            ${cold.findings}`);
console.log(
  `cold (first run)    ${cold.totalMs.toFixed(0)} ms (schemas ${cold.schemaMs.toFixed(0)} ms, policies + YAML ${cold.policyMs.toFixed(0)} ms)`,
);
console.log(
  `cold CPU time       ${cold.cpuMs.toFixed(0)} ms (wall minus CPU is waiting for a core on a shared machine)`,
);
console.log(`warm (median of 5)  ${warm[2]?.toFixed(0)} ms`);
console.log(`target              < 2000 ms cold: ${cold.totalMs < 2000 ? 'met' : 'NOT met'}`);
