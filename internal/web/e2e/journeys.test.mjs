// End-to-end journeys of Essor's web pages in headless Chromium (run by run.sh against `essor serve --demo`).
// Every page visited is checked with axe-core: no serious or critical violation of WCAG 2.1 A/AA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const base = process.env.E2E_BASE;
const accounts = {
  admin: process.env.E2E_ADMIN_PASSWORD,
  buyer: process.env.E2E_BUYER_PASSWORD,
};
const shots = process.env.E2E_SCREENSHOTS || '';
const audited = new Map(); // path → number of serious or critical violations

let browser;

before(async () => {
  assert.ok(base, 'E2E_BASE must be the URL of a running `essor serve --demo`');
  // Playwright gives every launch a fresh, temporary --user-data-dir of its own (it refuses one passed here).
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  console.log('axe-core audits:', JSON.stringify(Object.fromEntries(audited)));
});

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`JavaScript error on ${page.url()}: ${err}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/.test(msg.text())) assert.fail(`CSP violation: ${msg.text()}`);
  });
  return page;
}

// audit runs axe-core on the page as it is now and fails on any serious or critical violation.
async function audit(page, label) {
  await page.evaluate(axeSource); // through the DevTools protocol: the site's CSP stays enforced
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  audited.set(label, bad.length);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
    `axe-core on ${label}`);
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

async function signIn(page, email, password) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

test('public pages are accessible', async () => {
  const page = await newPage();
  for (const [path, name] of [['/', 'accueil'], ['/leviers', 'leviers'], ['/indicateurs', 'indicateurs'],
    ['/connexion', 'connexion'], ['/inscription', 'inscription'], ['/accessibilite', null], ['/nulle-part', null]]) {
    await page.goto(base + path);
    await audit(page, path);
    if (name) await shot(page, name);
  }
  // Keyboard: the skip link is the first stop and leads to the content.
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu');
  await page.close();
});

test('(a) a buyer searches, filters by commune and facet, opens a structure and exports a CSV', async () => {
  const page = await newPage();
  await signIn(page, 'acheteur@demo.essor.example', accounts.buyer);
  await page.goto(base + '/');
  await page.getByLabel('Ce que vous cherchez').fill('nettoyage');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/\/recherche\?q=nettoyage/);
  const before = await page.locator('#titre-resultats').textContent();
  await page.getByLabel('Intervient à').selectOption({ label: 'Nantes' });
  await page.locator('fieldset:has(legend:text("Secteur d\'activité")) input[type=checkbox]').first().check();
  await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
  await page.waitForURL(/commune=44109/);
  assert.match(page.url(), /cpv=\d{8}-\d/, 'the URL holds the whole search');
  const after = await page.locator('#titre-resultats').textContent();
  assert.notEqual(after, before, 'filters change the results');
  await audit(page, '/recherche (filtrée)');
  await shot(page, 'recherche');

  // A shared link gives the same search.
  const shared = await newPage();
  await shared.goto(page.url());
  assert.equal(await shared.locator('#titre-resultats').textContent(), after);
  await shared.close();

  const first = page.locator('.results > li h3 a').first();
  const name = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/structures\//);
  assert.equal((await page.locator('h1').textContent()).trim().startsWith(name), true);
  await page.getByRole('heading', { name: 'Personnes à contacter' }).waitFor();
  await audit(page, '/structures/{id}');
  await shot(page, 'structure');

  await page.goBack();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Exporter ces résultats (CSV)' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFFSIRET;Nom;Commune/);
  assert.ok(csv.split('\n').length > 2, 'the export lists structures');
  await page.close();
});

test('(b) a structure signs up, is approved, adds an offer and finds it in search', async () => {
  const siret = luhnSIRET(`8${String(Date.now()).slice(-10)}`);
  const email = `e2e-${siret}@demo.essor.example`;
  const password = 'une phrase de passe assez longue';
  const page = await newPage();
  await page.goto(base + '/inscription');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: false }).first().fill(password);
  await page.getByLabel('Confirmez le mot de passe').fill(password);
  await page.getByLabel('SIRET de votre structure').fill(siret);
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await page.waitForURL(/\/connexion\?ok=inscrit/);

  const admin = await newPage();
  await signIn(admin, 'admin@demo.essor.example', accounts.admin);
  await admin.goto(base + '/verifications');
  await audit(admin, '/verifications');
  await shot(admin, 'verifications');
  await admin.locator('tr', { hasText: siret }).getByRole('button', { name: /Accepter/ }).click();
  await admin.waitForURL(/ok=demande/);
  await admin.close();

  await signIn(page, email, password);
  await page.goto(base + '/ma-structure');
  await page.getByRole('link', { name: 'Enregistrer ma structure' }).click();
  await page.getByLabel('SIRET *').fill(siret);
  await page.getByLabel('Nom *').fill('Les Jardins du Bout du Quai');
  await page.getByLabel('Commune *').fill('Rezé');
  await page.getByLabel('Atelier et chantier d\'insertion').check();
  await audit(page, '/ma-structure/nouvelle');
  await shot(page, 'profil');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForURL(/\/offres\/nouvelle/);

  await page.getByLabel('Intitulé de l\'offre *').fill('Entretien de jardins familiaux');
  await page.getByLabel('Chercher un code par mots-clés').pressSequentially('espaces verts', { delay: 20 });
  const suggestion = page.locator('#cpv-suggestions input[name=cpv_codes]').first();
  await suggestion.waitFor(); // htmx brought the suggestions without reloading the page
  await suggestion.check();
  await page.getByLabel('Dans les communes suivantes :').check();
  await page.getByLabel('Rezé', { exact: true }).check();
  await page.getByLabel('Nantes', { exact: true }).check();
  await audit(page, '/structures/{id}/offres/nouvelle');
  await shot(page, 'offre');
  await page.getByRole('button', { name: 'Enregistrer l\'offre' }).click();
  await page.waitForURL(/ok=offre/);
  assert.match(await page.locator('main').textContent(), /Entretien de jardins familiaux/);

  const visitor = await newPage();
  let found = false;
  for (let i = 0; i < 50 && !found; i++) {
    await visitor.goto(`${base}/recherche?q=${encodeURIComponent('jardins familiaux')}&commune=44143`);
    found = (await visitor.locator('.results').textContent()).includes('Les Jardins du Bout du Quai');
    if (!found) await visitor.waitForTimeout(200);
  }
  assert.ok(found, 'the new offer is found in search');
  await visitor.close();
  await page.close();
});

test('(c) a buyer runs the lot-splitting assistant and applies an alternative', { skip: 'the assistant page waits for the allotment API (issue 6)' }, () => {});

test('pages work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${base}/recherche?q=repas`);
  await page.getByLabel('Intervient à').selectOption({ label: 'Rezé' });
  await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
  await page.waitForURL(/commune=44143/);
  assert.match(await page.locator('#titre-resultats').textContent(), /trouvée/);
  await context.close();
});

function luhnSIRET(prefix) {
  for (let n = 0; n < 1000; n++) {
    const s = prefix + String(n).padStart(3, '0');
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('no SIRET');
}
