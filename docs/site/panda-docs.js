// Starts Swagger UI on /docs with PANDA's OpenAPI document from this same server.
// A file of its own (no inline script) so that the page runs under a strict Content-Security-Policy.
'use strict';

(function () {
  function showStatus(text) {
    var status = document.getElementById('panda-status');
    status.textContent = text;
    status.hidden = false;
  }

  if (typeof window.SwaggerUIBundle !== 'function') {
    showStatus('Swagger UI did not load (/docs/swagger-ui/swagger-ui-bundle.js). Rebuild with `npm run build`. ' +
      'The API description is at /openapi.json.');
    return;
  }

  // The document lists the usual local address as its server; "Try it out" must call the server that
  // serves this page instead (another port, a deployed environment), so that one comes first.
  function withThisServer(spec) {
    var here = window.location.origin;
    var listed = Array.isArray(spec.servers) ? spec.servers : [];
    spec.servers = [{ url: here, description: 'This server (the one serving this page)' }]
      .concat(listed.filter(function (server) { return server && server.url !== here; }));
    return spec;
  }

  fetch('/openapi.json', { headers: { accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) throw new Error('GET /openapi.json answered ' + response.status);
      return response.json();
    })
    .then(function (spec) {
      window.ui = window.SwaggerUIBundle({
        spec: withThisServer(spec),
        dom_id: '#swagger-ui',
        deepLinking: true,
        // "Try it out" is on for every operation, and the token pasted into "Authorize" survives a reload.
        tryItOutEnabled: true,
        persistAuthorization: true,
        displayRequestDuration: true,
        defaultModelsExpandDepth: 0,
        // No calls to the public validator service: the page works offline.
        validatorUrl: null,
        presets: [window.SwaggerUIBundle.presets.apis],
        layout: 'BaseLayout',
      });
    })
    .catch(function (error) {
      showStatus('Could not load the API description: ' + error.message + '.');
    });
})();
