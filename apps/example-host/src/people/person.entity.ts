import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Someone who uses the product. The product's own table, with the product's own integer keys. */
@Entity('people')
@Index('uq_people_login', ['login'], { unique: true })
export class Person {
  @PrimaryGeneratedColumn()
  id: number;

  /** What a person signs in with: the `preferred_username` claim of the OpenID Connect sign-in. */
  @Column({ type: 'varchar', length: 255 })
  login: string;

  @Column({ name: 'display_name', type: 'varchar', length: 255 })
  displayName: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  /** An inactive person cannot sign in, and their access tokens stop working. */
  @Column({ type: 'boolean', default: true })
  active: boolean;
}
