import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as main from '@openledger/sdk';
import * as node from '@openledger/sdk/node';
import * as testing from '@openledger/sdk/testing';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** Every module the browser entry pulls in, following relative imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
    graph.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const spec of specifiers.filter((s) => s.startsWith('.'))) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

test('the main entry is browser-safe: no Node built-ins anywhere in its import graph', () => {
  const graph = importGraph(join(srcDir, 'index.ts'));
  expect(graph.size).toBeGreaterThan(10);
  for (const [file, packages] of graph) {
    for (const spec of packages) {
      expect({ file, spec, nodeOnly: spec.startsWith('node:') || ['fs', 'child_process', 'path', 'os', 'net'].includes(spec) }).toEqual({ file, spec, nodeOnly: false });
    }
  }
});

test('the three entry points export what services import', () => {
  for (const name of ['getDatanetRegistry', 'createIndexer', 'RewardTree', 'batchRoot', 'contributeTypedData', 'verifySiweMessage', 'createProvider', 'parseDeployment', 'abis']) {
    expect(main).toHaveProperty(name);
  }
  expect(node.loadDeployment).toBeInstanceOf(Function);
  expect(node.RewardTree).toBe(main.RewardTree);
  expect(testing.startAnvil).toBeInstanceOf(Function);
  expect(testing.deployStack).toBeInstanceOf(Function);
});
