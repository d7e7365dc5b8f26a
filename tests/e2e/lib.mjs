// lib.mjs - what the end-to-end tests share: the server run.sh started, Debian's
// Chromium driven by playwright-core, logging in as a demo user, screenshots,
// and the HTTP status of a page as a user's browser gets it.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

export const BASE = process.env.ITSS_URL;
export const ITSS_BIN = process.env.ITSS_BIN;
export const ITSS_DB = process.env.ITSS_DB;
export const OUTPUT = process.env.E2E_OUTPUT;
if (!BASE || !ITSS_BIN || !ITSS_DB || !OUTPUT)
  throw new Error('run the end-to-end tests with tests/e2e/run.sh (ITSS_URL, ITSS_BIN, ITSS_DB, E2E_OUTPUT)');

// The accounts: the demo's (itss help demo) and the engineer run.sh adds,
// E1036 清水 康弘 of 金融システム保守課, whose diagnosis of the open cycle is a draft.
export const USERS = {
  engineer: { login: 'e2e-engineer', password: 'e2e-engineer-password', empno: 'E1036' },
  demoEngineer: { login: 'engineer', password: 'itss-demo-engineer', empno: 'E1019' },
  manager: { login: 'manager', password: 'itss-demo-manager', empno: 'E1011' },
  hr: { login: 'hr', password: 'itss-demo-hr', empno: 'E1021' },
  admin: { login: 'admin', password: 'itss-demo-admin', empno: null },
};

// Debian's Chromium, headless, talking to 127.0.0.1 only. playwright-core
// gives every launch a fresh temporary --user-data-dir of its own; the
// profile is also pointed at a directory of ours so nothing is shared.
export async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), 'itss-e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disk-cache-dir=${profile}/cache`],
    env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  });
  browser.on('disconnected', () => rmSync(profile, { recursive: true, force: true }));
  return browser;
}

// A new browser context (its own cookies) with a page on it, Japanese first as
// the application is.
export async function newPage(browser) {
  const context = await browser.newContext({
    baseURL: BASE, locale: 'ja-JP', viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.problems = problems;
  return page;
}

// Logs in through the login form; the browser ends on the page after login.
export async function login(page, user) {
  await page.goto('/login');
  await page.fill('input[name="login"]', user.login);
  await page.fill('input[name="password"]', user.password);
  await Promise.all([
    page.waitForLoadState('load'),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'),
    `${user.login} should be logged in, but the browser is at ${page.url()}`);
}

// Logs out with the header's logout button.
export async function logout(page) {
  await Promise.all([
    page.waitForURL(/\/login/),
    page.click('form[action="/logout"] button[type="submit"]'),
  ]);
}

// Goes to a path and returns the HTTP status the browser got for it.
export async function visit(page, pathname) {
  const response = await page.goto(pathname);
  assert.ok(response, `no response for ${pathname}`);
  return response.status();
}

// Keeps a full-page screenshot of the page as E2E_OUTPUT/NAME.png. Long pages
// (the skills form, the review) take long to shoot on a loaded machine: up to
// a minute before it counts as a failure.
export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true, timeout: 60000 });
}

// The status of GET pathname with the cookies of page's context (no redirects
// followed), as a script of that user would get it.
export async function statusOf(page, pathname) {
  const response = await page.context().request.get(pathname, { maxRedirects: 0 });
  return response.status();
}

// Runs the itss command line on the test database; returns its stdout.
export function itss(...args) {
  return execFileSync(ITSS_BIN, [...args, '--db', ITSS_DB], { encoding: 'utf8' });
}

// The JSON an API path answers to page's session.
export async function api(page, pathname) {
  const response = await page.context().request.get(pathname);
  assert.equal(response.status(), 200, `GET ${pathname}: ${response.status()} ${await response.text()}`);
  return response.json();
}

// Steps of one story depend on the ones before: after a failure, the rest are
// skipped with the reason instead of failing in a cascade.
export function story() {
  let failed = null;
  return (name, fn) => async (t) => {
    if (failed) {
      t.skip(`the step "${failed}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      failed = name;
      throw e;
    }
  };
}

// The serious and critical violations axe-core finds on the page as it is, one
// line each (the page's context needs bypassCSP: axe is injected inline).
export async function axeViolations(page) {
  const { createRequire } = await import('node:module');
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axe });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).join(' | ')}`);
}
