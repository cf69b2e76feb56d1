import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Person } from '../people/person.entity';
import { Team } from './team.entity';

/** One person in one team; the pair is the key, so a person is in a team at most once. */
@Entity('team_members')
@Index('ix_team_members_person', ['personId'])
export class TeamMember {
  @PrimaryColumn({ name: 'team_id', type: 'integer' })
  teamId: number;

  @PrimaryColumn({ name: 'person_id', type: 'integer' })
  personId: number;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_team_members_team' })
  team?: Team;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_team_members_person' })
  person?: Person;
}
