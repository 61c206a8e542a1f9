'use strict';
// Loaded into decap-server by `invoke cms` (`node --require`, documented by Node): every HTTP
// request to it must carry the secret of this run, which only the guard (guard.py) adds. decap-server
// listens on a port of 127.0.0.1 that any local program, or a web page whose name was rebound to
// 127.0.0.1, could find by trying them all; without the secret, the request is refused before
// decap-server sees it, and it can neither read nor write a file.
const crypto = require('crypto');
const http = require('http');

const HEADER = 'x-transfo-guard';
const expected = Buffer.from(process.env.TRANSFO_GUARD_TOKEN || '', 'utf8');
delete process.env.TRANSFO_GUARD_TOKEN;
if (expected.length < 32) {
  console.error('decap-server : secret du garde absent ; attendu : « invoke cms », qui le donne');
  process.exit(2);
}

function carriesTheSecret(request) {
  const given = Buffer.from(String(request.headers[HEADER] || ''), 'utf8');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === 'request' && !carriesTheSecret(request)) {
    response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Requête refusée : seul le garde de « invoke cms » parle à decap-server.');
    return true;
  }
  return emit.apply(this, arguments);
};
