import { mkdirSync, writeFileSync } from 'node:fs';
import { renderDashboards } from './src/render.js';

/** Writes observability/dashboards/generated/*.json; `npx tsx observability/dashboards/generate.ts`. */
const outputDir = new URL('./generated/', import.meta.url);
mkdirSync(outputDir, { recursive: true });
for (const [file, json] of renderDashboards()) {
  writeFileSync(new URL(file, outputDir), json);
  console.log(`wrote observability/dashboards/generated/${file}`);
}
