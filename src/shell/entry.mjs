// The worker's entry module (wrangler.toml `main`). It serves the static files that travel inside
// the worker bundle, and hands every other request to the Rust worker that worker-build made
// (build/index.js, with its panic recovery), unchanged.
//
// The static files are the interactive API reference at /docs (docs/site and Swagger UI from
// node_modules/swagger-ui-dist, no CDN), the insights page at /insights (insights/) and the OpenAPI
// document at /openapi.json, assembled into
// build/static by scripts/build.sh and bundled as Text and Data modules ([[rules]] in
// wrangler.toml). They are not Workers static assets on purpose: with an [assets] directory every
// request, the API's too, first passes the asset router, which cost the DB-free route about a
// third of its throughput under `wrangler dev` (0.61× the JS reference against 0.94× without it;
// README, "Performance"). Nor are they compiled into the wasm,
// which must stay small to start fast.
import Panda from '../../build/index.js';
import openapi from '../../build/static/openapi.json';
import indexHtml from '../../build/static/docs/index.html';
import pandaCss from '../../build/static/docs/panda-docs.css';
import pandaJs from '../../build/static/docs/panda-docs.js';
import swaggerCss from '../../build/static/docs/swagger-ui/swagger-ui.css';
import swaggerJs from '../../build/static/docs/swagger-ui/swagger-ui-bundle.js';
import swaggerJsLicense from '../../build/static/docs/swagger-ui/swagger-ui-bundle.js.LICENSE.txt';
import swaggerLicense from '../../build/static/docs/swagger-ui/LICENSE';
import swaggerNotice from '../../build/static/docs/swagger-ui/NOTICE';
import favicon16 from '../../build/static/docs/swagger-ui/favicon-16x16.png';
import favicon32 from '../../build/static/docs/swagger-ui/favicon-32x32.png';
import insightsHtml from '../../build/static/insights/index.html';
import insightsCss from '../../build/static/insights/insights.css';
import insightsMain from '../../build/static/insights/main.js';
import insightsApi from '../../build/static/insights/api.js';
import insightsChart from '../../build/static/insights/chart.js';
import insightsFigures from '../../build/static/insights/figures.js';
import insightsMessages from '../../build/static/insights/messages.js';

// Everything on /docs and /insights comes from this server: no inline script or style, no CDN; Swagger UI's
// icons are data: images.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The files change only with a deployment.
  'cache-control': 'public, max-age=300',
};
const TEXT = 'text/plain; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

const docs = (body, type) => [body, { ...PAGE_HEADERS, 'content-type': type }];
const FILES = new Map([
  ['/openapi.json', [openapi, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }]],
  ['/docs/', docs(indexHtml, 'text/html; charset=utf-8')],
  ['/docs/panda-docs.css', docs(pandaCss, 'text/css; charset=utf-8')],
  ['/docs/panda-docs.js', docs(pandaJs, JS)],
  ['/docs/swagger-ui/swagger-ui.css', docs(swaggerCss, 'text/css; charset=utf-8')],
  ['/docs/swagger-ui/swagger-ui-bundle.js', docs(swaggerJs, JS)],
  ['/docs/swagger-ui/swagger-ui-bundle.js.LICENSE.txt', docs(swaggerJsLicense, TEXT)],
  ['/docs/swagger-ui/LICENSE', docs(swaggerLicense, TEXT)],
  ['/docs/swagger-ui/NOTICE', docs(swaggerNotice, TEXT)],
  ['/docs/swagger-ui/favicon-16x16.png', docs(favicon16, 'image/png')],
  ['/docs/swagger-ui/favicon-32x32.png', docs(favicon32, 'image/png')],
  ['/insights/', docs(insightsHtml, 'text/html; charset=utf-8')],
  ['/insights/insights.css', docs(insightsCss, 'text/css; charset=utf-8')],
  ['/insights/main.js', docs(insightsMain, JS)],
  ['/insights/api.js', docs(insightsApi, JS)],
  ['/insights/chart.js', docs(insightsChart, JS)],
  ['/insights/figures.js', docs(insightsFigures, JS)],
  ['/insights/messages.js', docs(insightsMessages, JS)],
]);
// A page's address without its slash redirects to it, so that its relative addresses resolve.
const PAGES = new Set(['/docs', '/insights']);

/** The answer for a static file, or undefined when the request is not for one. */
function staticFile(request) {
  const { method, url } = request;
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  // Only three prefixes have files: anything else goes to Rust without parsing the URL here.
  if (!url.includes('/docs') && !url.includes('/insights') && !url.includes('/openapi.json')) return undefined;
  const { pathname } = new URL(url);
  if (PAGES.has(pathname)) return new Response(null, { status: 307, headers: { location: `${pathname}/` } });
  const file = FILES.get(pathname);
  if (!file) return undefined;
  const [body, headers] = file;
  return new Response(method === 'HEAD' ? null : body, { headers });
}

export default class extends Panda {
  fetch(request) {
    return staticFile(request) ?? super.fetch(request);
  }
}
