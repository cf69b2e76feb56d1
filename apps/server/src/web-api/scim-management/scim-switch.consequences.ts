/** What a switch of the provisioning mode concerns, counted when the admin asks. */
export interface SwitchCounts {
  activeUsers: number;
  localAccounts: number;
  managedUsers: number;
  groups: number;
  managedGroups: number;
  /** Users and groups SCIM links: managed while SCIM is on, kept (dormant) while it is off. */
  linkedUsers: number;
  linkedGroups: number;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What each direction of the switch does, in the words the admin page's confirmations show (and scripts read from
 * `checks`): one list, so the page and the API never say different things.
 */
export function switchConsequences(counts: SwitchCounts): { enable: string[]; disable: string[] } {
  const linked = `${plural(counts.linkedUsers, 'user', 'users')} and ${plural(counts.linkedGroups, 'group', 'groups')}`;
  const enable = [
    'Users and groups become managed by the identity provider and read-only here: Microsoft Entra ID creates, ' +
      'changes and removes them on its provisioning cycles.',
    ...(counts.linkedUsers + counts.linkedGroups > 0
      ? [
          `${linked} that Entra ID provisioned before keep their SCIM ids and are managed again, with the changes ` +
            "made here meanwhile: Entra ID's next cycle finds every one of them.",
        ]
      : []),
    `Local accounts (${counts.localAccounts} active) stay local: they keep their password and tokens and can be ` +
      'deactivated, but their name and email can no longer be edited here.',
    'Nobody can create users or groups here, nor rename groups or change their members. Local groups can still be ' +
      'deleted, and global permissions stay yours to give, to Entra ID groups too.',
    'Entra ID takes over a just-in-time SAML account when it provisions a user of the same userName, and a local ' +
      'group (not built-in, not holding Administer) when it provisions a group of the same name.',
    'SAML sign-in no longer creates accounts: only active users provisioned by Entra ID sign in with SAML. SAML ' +
      'cannot be switched off or left incomplete while SCIM is on.',
  ];
  const disable = [
    `${linked} managed by Entra ID become editable here, like any just-in-time user and local group, and SAML ` +
      'sign-in creates accounts again.',
    'Their links to Entra ID are kept: switching SCIM back on resumes with the same ids, and what you change here ' +
      'meanwhile (names, emails, deactivations, group names and members) is what Entra ID then reads. A group ' +
      'deleted here is gone for Entra ID too.',
    "Entra ID's provisioning requests are refused until SCIM is switched on again: pause provisioning in Entra ID " +
      'meanwhile, or it reports failures.',
  ];
  return { enable, disable };
}
