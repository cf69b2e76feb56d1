import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateShopTables1700000000000 implements MigrationInterface {
  name = 'CreateShopTables1700000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "products" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "sku" varchar(64) NOT NULL, "name" varchar(200) NOT NULL, "price_cents" integer NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_products_sku" ON "products" ("sku") `);
    await queryRunner.query(
      `CREATE TABLE "revenue_entries" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "day" varchar(10) NOT NULL, "amount_cents" integer NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "revenue_entries"`);
    await queryRunner.query(`DROP INDEX "uq_products_sku"`);
    await queryRunner.query(`DROP TABLE "products"`);
  }
}
