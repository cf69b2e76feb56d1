import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateShopTables1700000000000 implements MigrationInterface {
  name = 'CreateShopTables1700000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `products` (`id` int NOT NULL AUTO_INCREMENT, `sku` varchar(64) NOT NULL, `name` varchar(200) NOT NULL, `price_cents` int NOT NULL, UNIQUE INDEX `uq_products_sku` (`sku`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `revenue_entries` (`id` int NOT NULL AUTO_INCREMENT, `day` varchar(10) NOT NULL, `amount_cents` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `revenue_entries`');
    await queryRunner.query('DROP TABLE `products`');
  }
}
