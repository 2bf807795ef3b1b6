// Opens events.html in Debian's headless Chromium, waits until its EventSource is open, posts a
// message through the API (as the other member), and prints what the page received as one JSON
// line: {"postAnsweredAt", "event", "screenshot"}. Arguments: page URL, API origin, the
// receiver's token, the sender's token, the receiver's handle, the screenshot's path.
import { chromium } from 'playwright-core';

const [pageUrl, api, receiverToken, senderToken, receiverHandle, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(pageUrl + '#' + new URLSearchParams({ api, token: receiverToken }));
  await page.waitForFunction(() => window.streamOpen === true, null, { timeout: 15000 });

  const text = 'hello from the browser test ' + Date.now();
  const answer = await fetch(api + '/api/messages', {
    method: 'POST',
    headers: { 'Authorization': 'Bearer ' + senderToken, 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify({ message: text, handle: receiverHandle })
  });
  const postAnsweredAt = Date.now();
  if (!answer.ok) {
    throw new Error('POST answered ' + answer.status + ': ' + await answer.text());
  }
  const handle = await page.waitForFunction(t => window.received.find(e => e.name === 'message' && e.data.message === t),
    text, { timeout: 5000 });
  const event = await handle.jsonValue();
  await page.waitForFunction(() => window.received.some(e => e.name === 'message_group'), null, { timeout: 5000 });
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ postAnsweredAt, sent: text, event }));
} finally {
  await browser.close();
}
