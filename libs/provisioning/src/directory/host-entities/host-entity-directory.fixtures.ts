import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { HostEntityDirectoryOptions } from './host-entity-directory.options';

/**
 * A product's own tables for the kit's specs: people with an integer key and columns named the product's way, teams
 * ("squads") with a string key the database does not generate, and their memberships.
 */
@Entity('kit_people')
export class KitPerson {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ name: 'user_login', type: 'varchar', length: 40, unique: true })
  handle: string;
  @Column({ name: 'full_name', type: 'varchar', length: 60 })
  fullName: string;
  @Column({ name: 'mail', type: 'varchar', length: 80, nullable: true })
  mail: string | null;
  @Column({ name: 'enabled', type: 'boolean', default: true })
  enabled: boolean;
}

/** A group entity with a string key the database does not generate. */
@Entity('kit_squads')
export class KitSquad {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uid: string;
  @Column({ name: 'title', type: 'varchar', length: 50 })
  title: string;
}

@Entity('kit_squad_members')
export class KitSquadMember {
  @PrimaryColumn({ name: 'squad_uid', type: 'varchar', length: 36 })
  squad: string;
  @PrimaryColumn({ name: 'person_id', type: 'integer' })
  person: number;
}

export const KIT_MAPPING: HostEntityDirectoryOptions<KitPerson, KitSquad, KitSquadMember> = {
  user: { entity: KitPerson, login: 'handle', displayName: 'fullName', email: 'mail', active: 'enabled' },
  group: { entity: KitSquad, name: 'title' },
  membership: { entity: KitSquadMember, group: 'squad', user: 'person' },
  newId: randomUUID,
};

export const KIT_ENTITIES = [KitPerson, KitSquad, KitSquadMember];
