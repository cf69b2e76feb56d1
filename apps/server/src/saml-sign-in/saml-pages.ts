import type { Request, Response } from 'express';
import type { SamlMappedAttribute, SamlValidationReport } from '@nest-scim/saml';

/**
 * The few pages the SAML routes answer a browser with. Everything shown comes from the identity provider or an
 * administrator's settings, so every value is escaped, and the policy forbids scripts, frames and forms outright.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Browsers get a page; API clients that ask for JSON get the same content as JSON. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .set('Cache-Control', 'no-store')
    .set('X-Content-Type-Options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}` +
        `table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;` +
        `vertical-align:top}.error{color:#b00}.warning{color:#850}</style></head>` +
        `<body><h1>${escape(title)}</h1>${body}</body></html>`,
    );
}

/** A refused sign-in: the product's `{"errors":[{"msg"}]}` for JSON, a short page for a browser. */
export function sendRefusal(req: Request, res: Response, status: number, message: string): void {
  if (wantsJson(req)) {
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .json({ errors: [{ msg: message }] });
    return;
  }
  sendPage(res, status, 'Sign-in refused', `<p class="error">${escape(message)}</p><p><a href="/">Back</a></p>`);
}

/** The test-configuration report: JSON as it is, or a page an administrator can read. */
export function sendValidationReport(req: Request, res: Response, report: SamlValidationReport): void {
  if (wantsJson(req)) {
    res.status(200).set('Cache-Control', 'no-store').json(report);
    return;
  }
  const list = (items: string[], kind: string) =>
    items.length ? `<ul>${items.map((i) => `<li class="${kind}">${escape(i)}</li>`).join('')}</ul>` : '<p>None.</p>';
  const mappedRow = (label: string, m: SamlMappedAttribute | null) =>
    m
      ? `<tr><th>${escape(label)}</th><td>${escape(m.attribute)}</td><td>${values(m.values)}</td></tr>`
      : `<tr><th>${escape(label)}</th><td colspan="2">not configured</td></tr>`;
  const body = [
    `<p>Status: <strong class="${report.status === 'success' ? '' : 'error'}">${escape(report.status)}</strong>.`,
    report.login === null
      ? ' No login could be read from the response.'
      : ` A sign-in would use the login <strong>${escape(report.login)}</strong>.`,
    report.verified
      ? ''
      : ' <span class="warning">The response did not pass validation: what follows is unverified.</span>',
    '</p><h2>Errors</h2>',
    list(report.errors, 'error'),
    '<h2>Warnings</h2>',
    list(report.warnings, 'warning'),
    '<h2>Mapped attributes</h2><table><tr><th>Setting</th><th>Attribute</th><th>Values</th></tr>',
    mappedRow('User login', report.mapped.login),
    mappedRow('User name', report.mapped.name),
    mappedRow('User email', report.mapped.email),
    mappedRow('Groups', report.mapped.groups),
    '</table><h2>Attributes received</h2><table><tr><th>Name</th><th>Values</th></tr>',
    ...report.attributes.map((a) => `<tr><td>${escape(a.name)}</td><td>${values(a.values)}</td></tr>`),
    '</table><h2>Signature</h2><ul>',
    `<li>Response signed: ${report.signature.responseSigned ? 'yes' : 'no'}</li>`,
    `<li>Assertion signed: ${report.signature.assertionSigned ? 'yes' : 'no'}</li>`,
    `<li>Algorithms: ${escape(report.signature.algorithms.join(', ') || 'none')}</li>`,
    `<li>Requests signed by this server: ${report.signature.requestsSigned ? 'yes' : 'no'}</li></ul>`,
    `<p>Issuer: ${escape(report.issuer ?? 'unknown')}. NameID: ${escape(report.nameId ?? 'none')}. `,
    `Clock difference: ${report.clockSkewSeconds === null ? 'unknown' : `${report.clockSkewSeconds} s`}.</p>`,
  ].join('');
  sendPage(res, 200, 'SAML configuration test', body);
}

function values(list: readonly string[]): string {
  return list.length ? list.map(escape).join('<br>') : '<em>not sent</em>';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
