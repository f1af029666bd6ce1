#!/usr/bin/env node
// Checks the deployment files with the tools that understand them, where this machine has them:
//   promtool check rules / test rules   deploy/prometheus (Debian package `prometheus`)
//   systemd-analyze verify              deploy/systemd units (the server unit as instance 8080)
// Docker is not checked here (no daemon on our machines): test/unit/tooling/deploy-files.test.ts
// checks the compose file's structure and the Dockerfile's shape instead.
// Exits 1 if a tool finds a problem; a missing tool is reported as skipped.
import { spawnSync } from 'node:child_process';

const checks = [
  ['promtool', ['check', 'rules', 'deploy/prometheus/pulsewatch-alerts.yml']],
  ['promtool', ['test', 'rules', 'deploy/prometheus/pulsewatch-alerts.test.yml']],
  [
    'systemd-analyze',
    [
      'verify',
      '--man=no',
      'deploy/systemd/pulsewatch-server@8080.service',
      'deploy/systemd/pulsewatch-backup.service',
      'deploy/systemd/pulsewatch-backup.timer',
      'deploy/systemd/pulsewatch-edge.service',
    ],
  ],
];

let failed = 0;
for (const [tool, args] of checks) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error?.code === 'ENOENT') {
    console.log(`check-deploy: ${tool} not installed, skipped: ${tool} ${args.join(' ')}`);
    continue;
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  // systemd-analyze reports unknown keys as warnings with exit 0: count any output as a failure.
  const ok = result.status === 0 && !(tool === 'systemd-analyze' && output !== '');
  console.log(
    `check-deploy: ${tool} ${args.filter((a) => !a.startsWith('-')).join(' ')}: ${ok ? 'ok' : 'FAILED'}`,
  );
  if (!ok) {
    console.log(output);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
