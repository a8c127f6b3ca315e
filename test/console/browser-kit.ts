// Shared pieces of the console's browser tests: Chromium through playwright-core, a real Bridge replaying the
// bundled recording behind a real console, test pointers, and page helpers (click an image pixel, WCAG contrast).
import { existsSync, mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startConsole, type ConsoleHandle, type ConsoleOptions } from '../../src/console/server.js';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig, type BridgeConfig } from '../../src/pipeline/config.js';
import { PointingError, type Pointer, type PointingResult } from '../../src/pointing/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Generous: CI machines with 2 cores run other test files beside these. */
export const WAIT_MS = 30_000;

/** Polls a page expression until it is truthy: the page's CSP forbids the eval that waitForFunction uses for a
 * string predicate, so that one only works when the first check already passes (a flaky test under load). */
export async function until(page: Page, expression: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
export const ARTIFACTS = 'test-artifacts';
export const skipBrowser: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (CI installs Debian's chromium): browser test not run`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** One Chromium shared by a test file's tests: launched before them and closed after; `opts` skips them, with the
 * reason printed once, where Chromium is missing. Call at the top level of the file. */
export function browserPerFile(timeoutMs = 120_000): { opts: { skip: string | false; timeout: number }; browser: () => Browser } {
  if (skipBrowser) console.log(`# browser test skipped: ${skipBrowser}`);
  let browser: Browser | null = null;
  before(async () => {
    if (!skipBrowser) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return { opts: { skip: skipBrowser, timeout: timeoutMs }, browser: () => browser! };
}

export interface DemoConsole {
  bridge: Bridge;
  handle: ConsoleHandle;
  source: McapSource;
  /** Stops the console, then the replay. */
  close(): Promise<void>;
}

/** A Bridge replaying demo/redwood_livingroom1.mcap (15 Hz, looping, TF to `map`) with a console on it. */
export async function demoConsole(opts: { pointer?: Pointer | null; console?: ConsoleOptions; tweak?: (c: BridgeConfig) => void } = {}): Promise<DemoConsole> {
  const config = defaultConfig();
  config.frames = { target: 'map', navigation: 'map', robot: 'map' };
  opts.tweak?.(config);
  const bridge = new Bridge({ pointer: opts.pointer ?? null, config });
  const source = new McapSource({ path: 'demo/redwood_livingroom1.mcap', loop: true, realtime: true });
  const firstFrame = new Promise((resolve) => bridge.once('frame', resolve));
  const replay = source.start((e) => bridge.ingest(e));
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 5, ...opts.console });
  // Tests start from a replaying demo, as `npm start` does: a request made at once finds a frame.
  await Promise.race([firstFrame, new Promise((_, reject) => setTimeout(() => reject(new Error('demo: no frame within 10 s')), 10_000).unref())]);
  let closed = false;
  return {
    bridge,
    handle,
    source,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
      source.stop();
      await replay;
    },
  };
}

/** A page that records its errors (CSP violations included) in `problems`. */
export async function openPage(browser: Browser, url: string, problems: string[], viewport = { width: 1440, height: 900 }, colorScheme: 'dark' | 'light' = 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/WebGL|GPU|swiftshader|ERR_CONNECTION_REFUSED|WebSocket connection/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('#live-canvas:not([data-frame-seq=""])', { timeout: WAIT_MS });
  return page;
}

/** Clicks image pixel (u, v) of the 640-wide demo image: pixel centres sit at ((u + 0.5) s, (v + 0.5) s). */
export async function clickPixel(page: Page, u: number, v: number): Promise<void> {
  await page.locator('#live-canvas').scrollIntoViewIfNeeded();
  const box = (await page.locator('#live-canvas').boundingBox())!;
  const scale = box.width / 640;
  await page.mouse.click(box.x + (u + 0.5) * scale, box.y + (v + 0.5) * scale);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });
}

/**
 * WCAG 2 contrast of an element's text against what is behind it, from computed styles: the text colour, and
 * the background colours of the element and its ancestors composited (alpha included) over the page. Colours
 * are normalised by painting them (a canvas understands every CSS colour syntax, color-mix results included).
 */
export function contrastOf(page: Page, selector: string): Promise<number> {
  // Sent as source text: the test runner's transpiler would wrap named functions in helpers the page lacks.
  return page.evaluate(`(${CONTRAST_SOURCE})(document.querySelector(${JSON.stringify(selector)}))`) as Promise<number>;
}

const CONTRAST_SOURCE = String.raw`function (node) {
  if (!node) throw new Error('no element');
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data; // unpremultiplied
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const layers = [];
  for (let n = node; n; n = n.parentElement) {
    const style = getComputedStyle(n);
    const c = rgba(style.backgroundColor);
    const opacity = Number(style.opacity);
    if (c[3] > 0) layers.push([c[0], c[1], c[2], c[3] * opacity]);
    if (c[3] >= 1 && opacity >= 1) break;
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const f = rgba(getComputedStyle(node).color);
  const fore = [0, 1, 2].map((i) => f[i] * f[3] + bg[i] * (1 - f[3]));
  const channel = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const lum = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const [hi, lo] = [lum(fore), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}`;

/** Answers every query at once with one point and a raw text. */
export function instantPointer(u = 330, v = 260): Pointer {
  return {
    name: 'test-detector',
    async point(): Promise<PointingResult> {
      return {
        points: [{ u, v, label: 'chair', alt: null, image: 1, id: 1 }],
        count: null,
        none: false,
        truncated: false,
        rawText: `<point x="51.6" y="54.2" alt="chair">chair</point>`,
        model: 'test-detector',
        timings: {},
      };
    },
  };
}

/** Never answers; ends when the request is cancelled. */
export function hangingPointer(): Pointer {
  return {
    name: 'test-slow-model',
    point: (_image, _query, options) =>
      new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => reject(new PointingError('cancelled', 'aborted')), { once: true });
      }),
  };
}
