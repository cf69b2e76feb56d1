import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('teams')
@Index('uq_teams_name', ['name'], { unique: true })
export class Team {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;
}
