/**
 * `npm test`'s pretest step: the browser tier drives Debian's Chromium (Playwright's own browser
 * download is not used), so a fresh Debian machine gets it here instead of by a separate command.
 * As root it installs the `chromium` package; otherwise it stops with the command to run, because
 * an unattended `sudo` would hang on a password prompt.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = 'sudo apt-get install -y chromium';

const run = (command: string, args: string[]): boolean => {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
};

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`The browser tests need Chromium at ${CHROMIUM}. Install it with:\n\n  ${INSTALL}\n`);
    process.exit(1);
  }
  console.log(`Installing Debian's chromium for the browser tests (${CHROMIUM} is missing).`);
  // A fresh machine's package lists may be empty or stale: refresh once if the install fails.
  const installed =
    run('apt-get', ['install', '-y', 'chromium']) ||
    (run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']));
  if (!installed || !existsSync(CHROMIUM)) {
    console.error(`Installing chromium failed; run \`${INSTALL}\` and npm test again.`);
    process.exit(1);
  }
}
