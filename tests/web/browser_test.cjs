// The web app in a real browser (Debian's chromium through playwright-core), as officers
// use it: a wrong password refused; log in; find a property by search; tag it and see
// its colour change on the map; a second officer's change shown to the first as a
// conflict, then retried; another agency's property refused; many tagged together;
// text from the register shown as text; keyboard order; an export and the board report.
//   node browser_test.cjs URL WORK_DIR [SCREENSHOT_DIR]
const { chromium } = require('playwright-core');
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const [url, work, shots] = process.argv.slice(2);
const shot = async (page, name) => {
  if (shots) await page.screenshot({ path: path.join(shots, `web-${name}.png`) });
};

async function logIn(page, name, password) {
  await page.goto(url);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
}

async function loggedIn(browser, name, password) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`${name}'s page: ${e.message}`); });
  await logIn(page, name, password);
  await page.waitForSelector('#app:not([hidden])');
  await page.waitForSelector('#table tbody tr');
  return page;
}

// Until the map has drawn everything it has asked for.
const rendered = (page) => page.evaluate(() => new Promise((done) => {
  window.estate.map.once('rendercomplete', () => done());
  window.estate.map.render();
}));

// What the map shows at a property: the status of the feature drawn there, and the
// colour of the pixel at its centre.
async function drawnAt(page, easting, northing) {
  await rendered(page);
  return page.evaluate(async ([e, n]) => {
    const map = window.estate.map;
    const [x, y] = map.getPixelFromCoordinate([e, n]);
    const status = (await window.estate.statusesAt([e, n]))[0] || null;
    // The topmost layer canvas that has drawn something there.
    const ratio = window.devicePixelRatio;
    let colour = null;
    for (const canvas of document.querySelectorAll('#map canvas')) {
      const rect = canvas.getBoundingClientRect(), mapRect = map.getTargetElement().getBoundingClientRect();
      const px = Math.round((x + mapRect.left - rect.left) * canvas.width / rect.width);
      const py = Math.round((y + mapRect.top - rect.top) * canvas.height / rect.height);
      const [r, g, b, a] = canvas.getContext('2d').getImageData(px, py, 1, 1).data;
      if (a > 200) colour = [r, g, b];
    }
    return { status, colour, ratio };
  }, [easting, northing]);
}

const isRed = (c) => c && c[0] > 180 && c[1] < 80 && c[2] < 80;
const isGrey = (c) => c && Math.abs(c[0] - c[1]) < 12 && Math.abs(c[1] - c[2]) < 12 && c[0] > 140 && c[0] < 210;

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    // A wrong password is refused, saying nothing of which part was wrong.
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
    const first = await context.newPage();
    await first.goto(url);
    await first.waitForSelector('#login:not([hidden])');
    // The keyboard reaches the form in order: name, password, the button.
    await first.focus('#login-name');
    await first.keyboard.press('Tab');
    assert.strictEqual(await first.evaluate(() => document.activeElement.id), 'login-password');
    await first.keyboard.press('Tab');
    assert.strictEqual(await first.evaluate(() => document.activeElement.textContent), 'Log in');
    await shot(first, 'login');
    await logIn(first, 'Tom Trafford', 'not-his-password');
    await first.waitForFunction(() => document.getElementById('login-message').textContent.length > 0);
    assert.match(await first.textContent('#login-message'), /name or password not recognised/);
    assert.ok(await first.isHidden('#app'), 'the app stays hidden after a wrong password');
    console.log('ok - a wrong password is refused');

    // Log in as Tom (Trafford Council); the map opens on the area with the legend.
    await first.fill('#login-password', 'tom-password-1');
    await first.click('#login-form button[type=submit]');
    await first.waitForSelector('#table tbody tr');
    assert.match(await first.textContent('#area-title'), /Trafford/);
    assert.match(await first.textContent('#legend'), /Red: disposal unlikely.*Unassessed/s);
    assert.match(await first.textContent('#legend'), /Hub/, 'the latest hubs run is drawn');
    await rendered(first);
    await shot(first, 'map');
    console.log('ok - logged in: the map, its legend and hubs, the table');

    // Find an unassessed Trafford Council property by search, with the table not tied to the map.
    const candidates = await first.evaluate(() =>
      fetch('/api/properties?owner=Trafford%20Council&status=unassessed&limit=400').then((r) => r.json()));
    const target = candidates.features.find((f) => f.geometry && f.properties.name);
    assert.ok(target, 'an unassessed, located Trafford Council property');
    const [easting, northing] = target.geometry.coordinates;
    await first.fill('#f-q', target.properties.ref);
    await first.waitForFunction((ref) => {
      const rows = document.querySelectorAll('#table tbody tr');
      return rows.length >= 1 && rows.length <= 3;
    }, target.properties.ref);
    await first.click(`#table tbody tr[data-id="${target.id}"] button.link`);
    await first.waitForSelector('#details:not([hidden])');
    assert.strictEqual(await first.textContent('#details-title'), target.properties.name);
    assert.strictEqual(await first.evaluate(() => document.activeElement.id), 'details', 'focus moves to the property');
    console.log(`ok - found ${target.properties.ref} by search and opened it`);

    // A search that is a postcode takes the map there (the register's postcode lookup).
    const postcode = await first.evaluate(() => fetch('/api/postcodes/M15%204AB').then((r) => r.json()));
    await first.fill('#f-q', 'm15 4ab');
    await first.press('#f-q', 'Enter');
    await first.waitForFunction(([e, n]) => {
      const [x, y] = window.estate.map.getView().getCenter();
      return Math.hypot(x - e, y - n) < 5;
    }, [postcode.easting, postcode.northing]);
    await first.fill('#f-q', '');
    console.log('ok - a postcode searched for: the map goes there');

    // Zoomed to it, the map draws it grey; tagged red, it turns red.
    await first.evaluate(([e, n]) => window.estate.map.getView().setCenter([e, n]), [easting, northing]);
    await first.evaluate(() => window.estate.map.getView().setResolution(1.75));
    let drawn = await drawnAt(first, easting, northing);
    assert.strictEqual(drawn.status, 'unassessed');
    assert.ok(isGrey(drawn.colour), `drawn grey before: ${drawn.colour}`);
    // A reason with markup in it is stored and shown as text, never as HTML.
    const reason = 'Surplus <img src=x onerror="window.hacked=1"> after the move';
    await first.selectOption('#tag-status', 'red');
    await first.fill('#tag-reason', reason);
    await first.click('#tag-form button[type=submit]');
    await first.waitForFunction(() => /Saved: now version/.test(document.getElementById('tag-message').textContent));
    await first.waitForFunction(() => document.querySelector('#history tbody tr'));
    assert.strictEqual(await first.textContent('#history tbody tr:first-child td:nth-child(4)'), reason);
    assert.strictEqual(await first.locator('#history img').count(), 0);
    assert.strictEqual(await first.evaluate(() => window.hacked), undefined);
    assert.strictEqual(await first.textContent('#history tbody tr:first-child td:nth-child(5)'), 'web');
    assert.strictEqual(await first.textContent('#history tbody tr:first-child td:nth-child(2)'), 'Tom Trafford');
    await first.waitForFunction(() => true);
    for (let i = 0; i < 20; ++i) {
      drawn = await drawnAt(first, easting, northing);
      if (drawn.status === 'red') break;
      await first.waitForTimeout(100);
    }
    assert.strictEqual(drawn.status, 'red');
    assert.ok(isRed(drawn.colour), `drawn red after: ${drawn.colour}`);
    await shot(first, 'details');
    console.log('ok - tagged red: the map draws it red; the reason shown as text; history says Tom Trafford, web');

    // A second officer changes it while the first still has it open: the first is shown
    // the conflict, who made it, and can retry knowingly.
    const second = await loggedIn(browser, 'Programme Team', 'programme-password');
    await second.evaluate((id) => window.estate.openProperty(id), target.id);
    await second.waitForSelector('#details:not([hidden])');
    await second.selectOption('#tag-status', 'amber');
    await second.fill('#tag-reason', 'Lease ends 2027: review then');
    await second.click('#tag-form button[type=submit]');
    await second.waitForFunction(() => /Saved/.test(document.getElementById('tag-message').textContent));
    await first.selectOption('#tag-status', 'green');
    await first.fill('#tag-reason', 'Empty since March');
    await first.click('#tag-form button[type=submit]');
    await first.waitForFunction(() => /Someone changed this property/.test(document.getElementById('tag-message').textContent));
    assert.match(await first.textContent('#tag-message'), /Programme Team set it to amber.*Lease ends 2027/s);
    await shot(first, 'conflict');
    await first.click('#tag-message button');
    await first.waitForFunction(() => /Saved: now version/.test(document.getElementById('tag-message').textContent));
    const after = await first.evaluate((id) => fetch(`/api/properties/${id}`).then((r) => r.json()), target.id);
    assert.strictEqual(after.rag_status, 'green');
    assert.deepStrictEqual(after.history.map((h) => h.changed_by).slice(-3), ['Tom Trafford', 'Programme Team', 'Tom Trafford']);
    console.log('ok - a conflict is shown with who changed it, and the retry saves');

    // Fiona acts for the fire service: a Trafford Council property is refused.
    const fire = await loggedIn(browser, 'Fiona Fire', 'fiona-password-1');
    await fire.evaluate((id) => window.estate.openProperty(id), target.id);
    await fire.waitForSelector('#details:not([hidden])');
    await fire.selectOption('#tag-status', 'red');
    await fire.fill('#tag-reason', 'not mine to say');
    await fire.click('#tag-form button[type=submit]');
    await fire.waitForFunction(() => document.getElementById('tag-message').textContent.length > 0);
    assert.match(await fire.textContent('#tag-message'), /Greater Manchester Fire and Rescue Service|may not|acts for/);
    console.log('ok - another agency\'s property is refused');

    // With the keyboard alone: the first Tab stop skips to the table; a property opens
    // with Enter on its name, the panel takes the focus, Escape closes it.
    await first.click('#details-close');
    assert.strictEqual(await first.evaluate(() =>
      document.querySelector('a[href], button, input, select, textarea, [tabindex]').textContent), 'Skip to the table');
    await first.focus('#table tbody tr:first-child button.link');
    await first.keyboard.press('Enter');
    await first.waitForSelector('#details:not([hidden])');
    assert.strictEqual(await first.evaluate(() => document.activeElement.id), 'details');
    await first.keyboard.press('Escape');
    await first.waitForSelector('#details', { state: 'hidden' });
    assert.strictEqual(await first.evaluate(() => document.activeElement.id), 'map');
    console.log('ok - keyboard: skip link, Enter opens a property, Escape closes it');

    // Many at once, all or nothing: two Trafford Council properties tagged amber together.
    await first.fill('#f-q', '');
    await first.uncheck('#f-follow');
    await first.selectOption('#f-owner', 'Trafford Council');
    await first.selectOption('#f-status', 'unassessed');
    await first.waitForFunction(() => document.querySelectorAll('#table tbody tr').length > 5 &&
      [...document.querySelectorAll('#table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'Trafford Council'));
    const picked = await first.$$eval('#table tbody tr', (trs) => trs.slice(0, 2).map((tr) => Number(tr.dataset.id)));
    for (const id of picked) await first.check(`#table tbody tr[data-id="${id}"] input[type=checkbox]`);
    assert.strictEqual(await first.textContent('#bulk-count'), '2 selected.');
    await first.selectOption('#bulk-status', 'amber');
    await first.fill('#bulk-reason', 'Part of the Sale hub review');
    await first.click('#bulk-form button[type=submit]');
    await first.waitForFunction(() => /Saved: 2 changed/.test(document.getElementById('bulk-message').textContent));
    for (const id of picked) {
      const p = await first.evaluate((i) => fetch(`/api/properties/${i}`).then((r) => r.json()), id);
      assert.strictEqual(p.rag_status, 'amber');
    }
    console.log('ok - two properties tagged together');

    // Exports of what is shown, and the board report.
    const [download] = await Promise.all([first.waitForEvent('download'), first.click('#export-gpkg')]);
    const file = path.join(work, 'export.gpkg');
    await download.saveAs(file);
    assert.strictEqual(fs.readFileSync(file).subarray(0, 15).toString(), 'SQLite format 3');
    const report = await first.request.get(`${url}api/report`);
    assert.strictEqual(report.status(), 200);
    assert.match(await report.text(), /capital receipts/i);
    console.log('ok - GeoPackage export of what is shown; the board report opens');

    // A narrow (tablet) screen still shows the map, the table and the form.
    await first.setViewportSize({ width: 800, height: 1100 });
    await first.selectOption('#f-status', '');
    await rendered(first);
    await shot(first, 'tablet');
    console.log('ok - tablet width');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
