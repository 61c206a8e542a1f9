// Lighthouse on several pages with one Node process and one Chromium (transfo_quality.lighthouse).
//
// The CLI starts Node, loads Lighthouse and launches Chromium again for every page. Lighthouse's
// Node API runs each page in a new tab of the same browser, resetting the origin's storage and
// cache before each load as the CLI does. Only the scores are read: the full-page screenshot,
// which feeds the HTML report's thumbnails and no audit, is not taken.
//
// stdin: {"urls": [...], "categories": [...], "chromePath": "...", "chromeFlags": [...], "userDataDir": "..."}
// stdout: one JSON line per URL, {"url": ..., "scores": {category: score}} or {"url": ..., "error": "..."}.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

async function readRequest() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function scoresOf(url, port, categories) {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: categories,
    disableFullPageScreenshot: true,
  });
  const runtimeError = result?.lhr.runtimeError;
  if (!result || runtimeError) {
    return {url, error: runtimeError ? `${runtimeError.code}: ${runtimeError.message}` : 'no result'};
  }
  return {url, scores: Object.fromEntries(categories.map((name) => [name, result.lhr.categories[name]?.score ?? null]))};
}

const request = await readRequest();
const chrome = await chromeLauncher.launch({
  chromePath: request.chromePath,
  chromeFlags: request.chromeFlags,
  userDataDir: request.userDataDir,
  logLevel: 'silent',
});
try {
  for (const url of request.urls) {
    let line;
    try {
      line = await scoresOf(url, chrome.port, request.categories);
    } catch (error) {
      line = {url, error: String(error?.message ?? error)};
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
} finally {
  chrome.kill();
}
