// The first view of the web app in Debian's chromium, for bench/web_map.py: logs in once,
// then RUNS times opens the page afresh (the session cookie kept, the cache emptied) and
// times navigation -> the map's first view drawn (rendercomplete) and the table filled.
//   node web_first_view.cjs URL NAME PASSWORD RUNS     prints {"times": [s...], "tiles", "bytes"}
const { chromium } = require('playwright-core');
const [url, name, password, runs] = process.argv.slice(2);
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const login = await context.request.post(`${url}/api/login`, { data: { name, password } });
  if (!login.ok()) throw new Error(`login: ${login.status()}`);
  const times = [];
  let tiles = 0, bytes = 0;
  for (let i = 0; i < Number(runs); ++i) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    tiles = 0;
    bytes = 0;
    page.on('response', async (r) => {
      if (r.url().includes('/api/tiles/')) ++tiles;
      try { bytes += (await r.body()).length; } catch (e) { /* redirects have none */ }
    });
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    // The map says aria-busy="false" once every tile of the view is drawn.
    await page.waitForSelector('#map[aria-busy="false"]', { timeout: 60000 });
    await page.waitForSelector('#table tbody tr', { timeout: 60000 });
    times.push((Date.now() - start) / 1000);
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify({ times, tiles, bytes }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
