"""`auditor serve`: a local web page for people who do not use a terminal, and an HTTP API
beside it. A front end over the library, like the CLI — no logic of its own: `app` routes,
`audits` reads what a request asks for, `jobs` runs audits while the page follows them,
`pages` renders the HTML, `safety` caps requests and sets the security headers, `server`
starts it all."""
