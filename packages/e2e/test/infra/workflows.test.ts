import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, loadYaml, looksSecret, walk, type Doc } from './manifests.js';

const workflow = (name: string) => loadYaml(join(REPO, '.github', 'workflows', name))[0]!;
const steps = (job: Doc) => job.steps as Doc[];
const runs = (job: Doc) => steps(job).map((s) => String(s.run ?? '')).join('\n');
const uses = (job: Doc, action: string) => steps(job).find((s) => String(s.uses ?? '').startsWith(action));

describe('.github/workflows/ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs on pull requests', () => {
    expect(Object.keys(ci.on)).toContain('pull_request');
  });

  it('builds and tests with the README command on Node 20 and pnpm 10, with Postgres and Redis containers', () => {
    const job = ci.jobs['build-and-test'];
    expect(job).toBeDefined();
    expect(job.services.postgres.image).toMatch(/^postgres:/);
    expect(job.services.redis.image).toMatch(/^redis:/);
    expect(job.services.postgres.options).toContain('pg_isready');
    expect(job.services.redis.options).toContain('redis-cli ping');
    expect(job.env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@127\.0\.0\.1:5432\//);
    expect(job.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(uses(job, 'pnpm/action-setup')!.with.version).toBe(10);
    expect(uses(job, 'actions/setup-node')!.with['node-version']).toBe(20);
    expect(runs(job)).toContain('./scripts/test.sh');
    expect(existsSync(join(REPO, 'scripts', 'test.sh'))).toBe(true);
    expect(job['timeout-minutes']).toBeLessThanOrEqual(30);
  });

  it('brings the dev stack up twice with the README command (the second run keeps chain and seed)', () => {
    const job = ci.jobs['dev-stack'];
    expect(runs(job)).toContain('./scripts/dev.sh --check');
    expect(runs(job)).toContain('demo data: already seeded');
  });

  it('diffs and checks the gas snapshot in packages/contracts', () => {
    const job = ci.jobs['gas-snapshot'];
    expect(job).toBeDefined();
    const step = steps(job).find((s) => /forge snapshot --(check|diff)/.test(String(s.run ?? '')))!;
    expect(step['working-directory']).toBe('packages/contracts');
    // the check is the script (forge snapshot --check alone exits 0 on a diff)
    expect(step.run).toContain('bash tools/check-gas-snapshot.sh');
    expect(existsSync(join(REPO, 'packages', 'contracts', 'tools', 'check-gas-snapshot.sh'))).toBe(true);
    expect(existsSync(join(REPO, 'packages', 'contracts', '.gas-snapshot'))).toBe(true);
  });
});

describe('.github/workflows/deploy-contracts.yml', () => {
  const deploy = workflow('deploy-contracts.yml');

  it('is started by hand with a named network', () => {
    const input = deploy.on.workflow_dispatch.inputs.network;
    expect(input.required).toBe(true);
    expect(input.type).toBe('choice');
    expect(input.options.length).toBeGreaterThan(0);
  });

  it('dry-runs the deploy script on anvil first and publishes what it wrote', () => {
    const job = deploy.jobs['dry-run'];
    expect(runs(job)).toMatch(/anvil --port 8545/);
    expect(runs(job)).toMatch(/forge script script\/Deploy\.s\.sol --rpc-url http:\/\/127\.0\.0\.1:8545 --broadcast/);
    expect(job.env.DEPLOY_CONFIG).toBe('config/deploy.${{ inputs.network }}.json');
    expect(uses(job, 'actions/upload-artifact')).toBeDefined();
  });

  it('deploys with the RPC URL and key from the network environment’s secrets and uploads the deployments JSON', () => {
    const job = deploy.jobs.deploy;
    expect(job.needs).toBe('dry-run');
    expect(job.environment).toBe('${{ inputs.network }}');
    expect(job.env.RPC_URL).toBe('${{ secrets.RPC_URL }}');
    expect(job.env.PRIVATE_KEY).toBe('${{ secrets.DEPLOYER_PRIVATE_KEY }}');
    expect(job.env.DEPLOY_CONFIG).toBe('config/deploy.${{ inputs.network }}.json');
    expect(runs(job)).toMatch(/forge script script\/Deploy\.s\.sol --rpc-url "\$RPC_URL" --broadcast/);
    const upload = uses(job, 'actions/upload-artifact')!;
    expect(upload.with.path).toContain('deployments/${{ env.CHAIN_ID }}.json');
    expect(upload.with['if-no-files-found']).toBe('error');
  });

  it('holds no key or password in the files', () => {
    for (const file of ['ci.yml', 'deploy-contracts.yml']) {
      walk(workflow(file), (value, path) => {
        if (looksSecret(value)) throw new Error(`${file}: inline secret at ${path}`);
      });
    }
  });
});
