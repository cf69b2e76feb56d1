/** Editions from the smallest to the largest: each one includes everything the ones before it allow. */
export const EDITIONS = ['community', 'developer', 'enterprise', 'datacenter'] as const;

export type Edition = (typeof EDITIONS)[number];

/** How an edition is named in messages an admin reads. */
export const EDITION_NAMES: Readonly<Record<Edition, string>> = {
  community: 'Community',
  developer: 'Developer',
  enterprise: 'Enterprise',
  datacenter: 'Data Center',
};

export function isEdition(value: unknown): value is Edition {
  return typeof value === 'string' && (EDITIONS as readonly string[]).includes(value);
}

/** True when `held` is `required` or a larger edition (Data Center includes Enterprise). */
export function editionIncludes(held: Edition, required: Edition): boolean {
  return EDITIONS.indexOf(held) >= EDITIONS.indexOf(required);
}

/** "an Enterprise license", "a Developer license". */
export function editionLicensePhrase(edition: Edition): string {
  const name = EDITION_NAMES[edition];
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} license`;
}
