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
  structure: process.env.E2E_STRUCTURE_PASSWORD,
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

// shotHere saves what is on screen now, without scrolling back to the top.
async function shotHere(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
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
  // Pages for signed-in users send visitors to the sign-in page.
  for (const path of ['/achats', '/allotissement', '/besoins', '/cotraitance', '/admin/comptes']) {
    await page.goto(base + path);
    assert.match(page.url(), /\/connexion\?retour=/, `${path} asks to sign in`);
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

test('(c) a buyer runs the lot-splitting assistant and applies an alternative', async () => {
  const page = await newPage();
  await signIn(page, 'acheteur@demo.essor.example', accounts.buyer);
  await page.getByRole('link', { name: 'Allotir un besoin' }).click();
  await page.waitForURL(/\/allotissement$/);
  await page.getByLabel('Intitulé du besoin').fill('Entretien des bâtiments et espaces communaux');
  await page.getByLabel('Durée du marché (mois)').fill('36');
  const lines = [
    ['Entretien des espaces verts', '77310000-6', '180000', 'Nantes, Rezé'],
    ['Nettoyage des locaux', '90910000-9', '240000', 'Nantes'],
    ['Restauration collective', '55520000-1', '150000', 'Saint-Herblain, Nantes'],
    // The demo structure of structure@demo.essor.example (Divatte Habitat, Rezé) maintains buildings within 15 km:
    // this line's lot reaches it, so journey (d) finds the need and answers it.
    ['Petits travaux d\'entretien des bâtiments', '50700000-2', '90000', 'Rezé, Nantes'],
  ];
  // The CPV field suggests codes as one types (htmx fills its list).
  const cpv0 = page.locator('input[name="lines[0].cpv"]');
  await cpv0.pressSequentially('espaces verts', { delay: 20 });
  await page.locator('#cpv-liste-0 option').first().waitFor({ state: 'attached' });
  for (const [i, [label, code, value, communes]] of lines.entries()) {
    await page.locator(`input[name="lines[${i}].label"]`).fill(label);
    await page.locator(`input[name="lines[${i}].cpv"]`).fill(code);
    await page.locator(`input[name="lines[${i}].estimated_value_eur"]`).fill(value);
    await page.locator(`input[name="lines[${i}].communes"]`).fill(communes);
  }
  await audit(page, '/allotissement');
  await page.getByRole('button', { name: 'Comparer les découpages' }).click();
  await page.locator('#comparaison').waitFor();
  const columns = await page.locator('table.compare thead th').count();
  assert.ok(columns >= 3, 'at least two alternatives side by side');
  await audit(page, '/allotissement (alternatives)');
  await page.locator('#comparaison').scrollIntoViewIfNeeded();
  await shotHere(page, 'allotissement');

  await page.getByRole('button', { name: /^Appliquer le découpage 1/ }).click();
  await page.waitForURL(/\/achats\/[^/]+\?ok=allotissement/);
  assert.match(await page.locator('h1').textContent(), /Entretien des bâtiments/);
  const lots = await page.locator('main table tbody tr').count();
  assert.ok(lots >= 1, 'the draft holds the alternative\'s lots');
  await audit(page, '/achats/{id}');
  await shot(page, 'achat');

  await page.locator('main table tbody tr a').first().click();
  await page.waitForURL(/\/lots\/1$/);
  await audit(page, '/achats/{id}/lots/{n}');
  await shot(page, 'structures-du-lot');
  await page.goBack();

  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.waitForURL(/\/modifier$/);
  await audit(page, '/achats/{id}/modifier');
  await shot(page, 'achat-edition');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await page.waitForURL(/ok=achat/);

  await page.getByRole('button', { name: 'Publier et prévenir les structures' }).click();
  await page.waitForURL(/ok=statut/);
  await page.getByRole('link', { name: 'Voir les réponses' }).click();
  // The notifier plans the first batch within its polling interval (15 s).
  const notified = page.locator('table.bars tbody tr').first().locator('td.num');
  for (let i = 0; i < 40 && (await notified.textContent()).trim() === '0'; i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  await audit(page, '/achats/{id}/reponses');
  await shot(page, 'reponses');
  await page.goto(base + '/achats');
  await audit(page, '/achats');
  await page.close();
});

test('(d) a structure reads the buyers\' needs and looks for partners', async () => {
  const page = await newPage();
  await signIn(page, 'structure@demo.essor.example', accounts.structure);
  await page.getByRole('link', { name: 'Besoins des acheteurs' }).click();
  await page.waitForURL(/\/besoins$/);
  // The buyer's tender of (c) has a lot this structure matches: its notice is listed and the structure answers it.
  const notice = page.locator('main table a', { hasText: 'Entretien des bâtiments et espaces communaux' }).first();
  for (let i = 0; i < 40 && !(await notice.count()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  assert.ok(await notice.count(), 'the needs page lists the tender of journey (c)');
  await audit(page, '/besoins');
  await shot(page, 'besoins');
  await notice.click();
  await audit(page, '/besoins/{id}/lots/{n}');
  await page.getByLabel('Oui, nous sommes intéressés', { exact: false }).check();
  await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await page.waitForURL(/ok=reponse/);
  await audit(page, '/besoins/{id}/lots/{n} (answered)');

  await page.getByRole('link', { name: 'Co-traitance' }).click();
  await audit(page, '/cotraitance');
  await page.getByRole('link', { name: 'Publier un appel à partenaires' }).click();
  await page.getByLabel('Référence ou intitulé de la consultation *').fill('Marché d\'entretien des parcs 2026');
  await page.getByLabel('Acheteur *').fill('Ville de Rezé');
  await page.getByLabel('Codes CPV du lot').fill('77310000-6, 90910000-9');
  await page.getByLabel('Communes du lot').fill('Rezé, Nantes');
  const deadline = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  await page.getByLabel('Candidatures jusqu\'au *').fill(deadline);
  await page.getByLabel('Message aux partenaires').fill('Nous cherchons une structure d\'insertion pour le nettoyage.');
  await audit(page, '/cotraitance/appels/nouveau');
  await page.getByRole('button', { name: 'Publier l\'appel' }).click();
  await page.waitForURL(/\/cotraitance\/appels\/[^/]+\?ok=appel/);
  await page.getByRole('heading', { name: 'Candidatures (0)' }).waitFor();
  await audit(page, '/cotraitance/appels/{id}');
  await shot(page, 'cotraitance');
  await page.close();
});

test('(e) an administrator suspends an account and reactivates it', async () => {
  const admin = await newPage();
  await signIn(admin, 'admin@demo.essor.example', accounts.admin);
  await admin.getByRole('link', { name: 'Comptes' }).click();
  await admin.waitForURL(/\/admin\/comptes$/);
  await audit(admin, '/admin/comptes');
  await shot(admin, 'comptes');
  await admin.getByLabel('Adresse e-mail (ou une partie)').fill('reseau@demo');
  await admin.getByRole('button', { name: 'Filtrer' }).click();
  await admin.waitForURL(/email=reseau/);
  const row = admin.locator('tr', { hasText: 'reseau@demo.essor.example' });
  // Without a reason the browser's own check stops the form; the server's answer is tested in Go.
  await row.getByLabel('Motif', { exact: false }).fill('Vérification du parcours de suspension');
  await row.getByRole('button', { name: /^Suspendre/ }).click();
  await admin.waitForURL(/ok=compte-suspendu/);
  await audit(admin, '/admin/comptes (suspended)');
  assert.match(await admin.locator('tr', { hasText: 'reseau@demo.essor.example' }).textContent(), /Désactivé/);
  await admin.locator('tr', { hasText: 'reseau@demo.essor.example' }).getByRole('button', { name: /^Réactiver/ }).click();
  await admin.waitForURL(/ok=compte-reactive/);
  assert.match(await admin.locator('tr', { hasText: 'reseau@demo.essor.example' }).textContent(), /Actif/);
  await admin.close();
});

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
