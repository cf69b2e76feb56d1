import type { HostEntityDirectoryOptions } from '@nest-scim/provisioning';
import { Person } from '../people/person.entity';
import { TeamMember } from '../teams/team-member.entity';
import { Team } from '../teams/team.entity';

/**
 * Where SCIM finds the product's people, teams and memberships: Entra's users are `people` (userName → login), its
 * groups are `teams`, their members `team_members`. A SCIM DELETE keeps the person, inactive and in no team.
 */
export const PEOPLE_DIRECTORY: HostEntityDirectoryOptions<Person, Team, TeamMember> = {
  user: { entity: Person, login: 'login', displayName: 'displayName', email: 'email', active: 'active' },
  group: { entity: Team, name: 'name' },
  membership: { entity: TeamMember, group: 'teamId', user: 'personId' },
  // Everyone here signs in through the identity provider, so a person who signed in before Entra provisioned them is
  // the same person: Entra takes the existing row over instead of failing on it.
  mayAdopt: () => true,
};
