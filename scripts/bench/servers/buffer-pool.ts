/**
 * Runs `work` with InnoDB's buffer pool resized to `bufferPoolMiB` (a global, dynamic setting of the server) and puts
 * the previous size back afterwards; without a size, the server is left as configured.
 */
export async function withBufferPool<T>(
  options: { mysqlUrl: string; mysqlBufferPoolMiB?: number },
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  if (!options.mysqlBufferPoolMiB) return work();
  const { createConnection } = await import('mysql2/promise');
  const resize = async (bytes: number) => {
    const connection = await createConnection({ uri: options.mysqlUrl });
    try {
      const [rows] = await connection.query('SELECT @@innodb_buffer_pool_size AS pool');
      await connection.query('SET GLOBAL innodb_buffer_pool_size = ?', [bytes]);
      // The resize runs in the background; wait for it, so the run does not measure it.
      for (let i = 0; i < 120; i++) {
        const [status] = await connection.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'");
        const text = (status as { Value: string }[])[0]?.Value ?? '';
        if (text === '' || /completed|not started/i.test(text)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return Number((rows as { pool: number | string }[])[0].pool);
    } finally {
      await connection.end();
    }
  };
  const previous = await resize(options.mysqlBufferPoolMiB * 2 ** 20);
  log(`MySQL: InnoDB buffer pool set to ${options.mysqlBufferPoolMiB} MiB for the run (was ${previous / 2 ** 20} MiB)`);
  try {
    return await work();
  } finally {
    await resize(previous);
  }
}
