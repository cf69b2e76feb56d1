import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand rather than generated: TypeORM rebuilds the table to add a column on SQLite, and dropping `users`
 * with foreign keys on would cascade to every membership, token and session. ADD/DROP COLUMN keeps the rows.
 */
export class UserLastConnectionDate1796403086307 implements MigrationInterface {
  name = 'UserLastConnectionDate1796403086307';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "last_connection_date" datetime(3)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "last_connection_date"`);
  }
}
