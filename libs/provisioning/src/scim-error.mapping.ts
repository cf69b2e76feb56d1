import { DomainRuleError } from '@app/identity';
import { ScimError } from '@app/scim';
import { ScimDirectoryError } from './directory/scim-directory.port';

/** How a product rule refused a SCIM write, said the SCIM way (RFC 7644 §3.12). */
export function domainToScimError(error: unknown): unknown {
  if (error instanceof ScimDirectoryError) return directoryToScimError(error);
  if (!(error instanceof DomainRuleError)) return error;
  switch (error.code) {
    case 'invalid':
      return ScimError.invalidValue(error.message);
    case 'not_found':
      return ScimError.notFound(error.message);
    case 'conflict':
      return ScimError.uniqueness(error.message);
    case 'built_in_group':
    case 'last_admin':
      return new ScimError(409, error.message);
    case 'managed_instance':
      return ScimError.forbidden(error.message);
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
