// Before the tests: the command-line tools some suites drive that a fresh machine of this project
// lacks but can install from its package archive. decK (Kong's declarative tool) is installed with
// apt when it is missing and this runs as root; otherwise the suites that need it say how.
import { execFileSync } from 'node:child_process';

const TOOLS = [{ command: 'deck', aptPackage: 'deck', why: "gateway-local's Admin API is tested against Kong's decK" }];

const has = (command) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const missing = TOOLS.filter((t) => !has(t.command));
if (missing.length) {
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  const packages = missing.map((t) => t.aptPackage);
  if (!canInstall) {
    for (const t of missing)
      process.stderr.write(`warning: ${t.command} is missing (${t.why}): install it with apt-get install -y ${t.aptPackage}\n`);
  } else {
    process.stdout.write(`installing ${packages.join(', ')} with apt (${missing.map((t) => t.why).join('; ')})\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
}
