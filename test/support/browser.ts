/** Debian's Chromium driven by playwright-core (no browser download). */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { startTestHub } from './hub';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(__dirname, '../../test-results');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium fonts-noto-cjk\` (npm test does this when run as root)`);
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A whole hub on the run's database, a Chromium and one Japanese page: what every browser test starts with. */
export async function openHubInBrowser(): Promise<{ hub: RunningHub; browser: Browser; page: Page; close(): Promise<void> }> {
  const hub = await startTestHub();
  const browser = await launchBrowser();
  const page = await browser.newPage({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  return {
    hub,
    browser,
    page,
    close: async () => {
      await browser.close();
      await hub.stop();
    },
  };
}
