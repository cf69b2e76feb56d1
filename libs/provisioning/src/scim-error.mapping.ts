import { DomainRuleError } from '@nest-scim/identity';
import { ScimError } from '@nest-scim/scim';
import { ScimDirectoryError } from './directory/scim-directory.port';

/** The product's messages that name what the request sent, said without it for SCIM. */
const SCIM_WORDING: [RegExp, string][] = [
  [/^A user with (?:external )?login '[\s\S]*' already exists$/, 'A user with this userName already exists'],
  [/^Group '[\s\S]*' already exists$/, 'A group with this displayName already exists'],
  [
    /^(?:Local account|Administrator) '[\s\S]*' cannot be managed by the identity provider$/,
    'A local account with this userName exists and cannot be managed by the identity provider',
  ],
];

/**
 * A domain message as a SCIM `detail`: never quoting the request's values (a userName, an email, a group name),
 * since Entra ID shows details in its provisioning logs to whoever reads them. The admin Web API keeps the product's
 * own wording, which names the login or group as SonarQube's does: there the admin reads back what they typed.
 */
export function scimDetailOf(message: string): string {
  for (const [pattern, detail] of SCIM_WORDING) if (pattern.test(message)) return detail;
  // Any other quoted value is dropped: "Email 'x' is not valid" → "Email is not valid".
  return message.replace(/\s*'[^']*'/g, '');
}

/** How a product rule refused a SCIM write, said the SCIM way (RFC 7644 §3.12). */
export function domainToScimError(error: unknown): unknown {
  if (error instanceof ScimDirectoryError) return directoryToScimError(error);
  if (!(error instanceof DomainRuleError)) return error;
  const detail = scimDetailOf(error.message);
  switch (error.code) {
    case 'invalid':
      return ScimError.invalidValue(detail);
    case 'not_found':
      return ScimError.notFound(detail);
    case 'conflict':
      return ScimError.uniqueness(detail);
    case 'built_in_group':
    case 'last_admin':
      return new ScimError(409, detail);
    case 'managed_instance':
      return ScimError.forbidden(detail);
  }
}

/** How a directory adapter (or a hook) refused a change, said the SCIM way. */
function directoryToScimError(error: ScimDirectoryError): ScimError {
  switch (error.code) {
    case 'invalid':
      return ScimError.invalidValue(error.message);
    case 'not_found':
      return ScimError.notFound(error.message);
    case 'conflict':
      return ScimError.uniqueness(error.message);
    case 'refused':
      return new ScimError(409, error.message);
  }
}

/** Runs a store operation and translates the domain's refusals into SCIM errors. */
export async function scimErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw domainToScimError(error);
  }
}
