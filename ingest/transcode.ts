// GBK/GB18030 → UTF-8, streaming: DuckDB reads only UTF-8 CSV.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

export async function transcodeToUtf8(src: string, dest: string, encoding = 'gb18030'): Promise<void> {
  await pipeline(createReadStream(src), iconv.decodeStream(encoding), iconv.encodeStream('utf8'), createWriteStream(dest));
}
