import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The host's own catalogue: nothing to do with provisioning, and kept in the host's own migrations. */
@Entity('products')
@Index('uq_products_sku', ['sku'], { unique: true })
export class ProductEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'price_cents', type: 'int' })
  priceCents: number;
}
