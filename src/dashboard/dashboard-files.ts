import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The dashboard's own files: next to this module, in src/ under ts-node and in dist/ once built. */
export function dashboardRoot(): string {
  const root = join(__dirname, 'public');
  if (!existsSync(join(root, 'index.html'))) {
    // Fail at start, not on the first page view: a build that forgot the assets is a broken build.
    throw new Error(
      `Dashboard files not found in ${root}; nest-cli.json must copy src/dashboard/public`,
    );
  }
  return root;
}

/**
 * Third-party browser files served from node_modules, by the name the pages load them under.
 * Resolved from the package's entry point, as chart.js exports no package.json.
 */
export function vendorFiles(): Record<string, string> {
  const chartDist = dirname(require.resolve('chart.js'));
  return { 'chart.umd.min.js': join(chartDist, 'chart.umd.min.js') };
}
