import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What the host's licensed revenue report sums up. */
@Entity('revenue_entries')
export class RevenueEntryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 10 })
  day: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;
}
