import { chromium, type Browser } from 'playwright-core';
import { useStarted } from './lifecycle.ts';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing), driven by
 * playwright-core: Playwright's own browser builds come from a download host the tests cannot reach.
 */
const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium for the enclosing describe block (or file), closed after its tests. */
export function useBrowser(): () => Browser {
  return useStarted(
    () =>
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
      }),
    (browser) => browser.close(),
  );
}
