// npm run users -- [--db PATH] add USER --role ROLE [--region CODE] | passwd USER | list [--json] | remove USER
// The password comes from stdin (a pipe, or typed without echo), never from the command line, where
// it would land in shell history and the process list. A new password (passwd, or add over an
// existing user) ends that user's sessions.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { throughServerOrFile } from './through-server.ts';
import type { AuditStatus } from '../domain/audit.ts';
import { appendAudit } from '../warehouse/audit.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { type User, addUser, checkNewPassword, listUsers, normalizeNewUser, removeUser, setPassword } from '../warehouse/users.ts';

const USAGE =
  'usage: npm run users -- [--db PATH] add USER --role executive|analyst|regional|admin [--region CODE]  (password on stdin)\n' +
  '       npm run users -- [--db PATH] passwd USER  (new password on stdin, at least 10 characters; ends their sessions)\n' +
  '       npm run users -- [--db PATH] list [--json]\n' +
  '       npm run users -- [--db PATH] remove USER';

/**
 * On the file (no server running), the change is recorded in the audit log here, as the server
 * records it when the change goes through it: user 'cli', and the account that ran the command.
 */
async function recordOnFile(wh: Warehouse, action: 'user_add' | 'user_passwd' | 'user_remove', target: string, detail: Record<string, unknown>, status: AuditStatus = 'ok'): Promise<void> {
  let osUser: string | null = null;
  try {
    osUser = userInfo().username;
  } catch {
    // no account name on this system
  }
  await appendAudit(wh, [{ at: new Date(), user: 'cli', role: 'admin', action, target, detail: { ...detail, via: 'file', os_user: osUser }, status }]);
}

async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write('password: ');
    // Echo nothing while the password is typed.
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = createInterface({ input: stdin, output: muted, terminal: true });
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    rl.close();
    process.stderr.write('\n');
    return line;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  // The first line: `echo pw | npm run users …` and a here-doc both end with a newline.
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

runCli(async () => {
  const { values, positionals } = parseCli({
    db: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const [command, ...rest] = positionals;
  const valid = (command === 'add' && rest.length === 1 && values.role) || (command === 'list' && rest.length === 0) || (command === 'remove' && rest.length === 1) || (command === 'passwd' && rest.length === 1);
  if (!valid) throw new UserError(USAGE, EXIT.usage);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });

  let input: { name: string; role: string; region_code: string | null; password: string } | null = null;
  if (command === 'add') {
    try {
      input = normalizeNewUser({ name: rest[0]!, role: values.role!, region_code: values.region ?? null, password: await readPassword() });
    } catch (err) {
      if (err instanceof UserError) throw new UserError(err.message, EXIT.usage);
      throw err;
    }
  }
  let password = '';
  if (command === 'passwd') {
    password = await readPassword();
    try {
      checkNewPassword(password);
    } catch (err) {
      if (err instanceof UserError) throw new UserError(err.message, EXIT.usage);
      throw err;
    }
  }

  const name = rest[0]!;
  if (command === 'add') {
    const u = await throughServerOrFile(settings, {
      server: async (call) => (await call<{ user: User }>('POST', '/api/admin/users', input)).body.user,
      file: async (wh) => {
        const user = await addUser(wh, input!);
        await recordOnFile(wh, 'user_add', user.name, { role: user.role, region_code: user.region_code });
        return user;
      },
    });
    console.log(`user ${u.name} (${u.role}${u.region_code ? ` ${u.region_code}` : ''}) saved`);
  } else if (command === 'passwd') {
    await throughServerOrFile(settings, {
      server: async (call) => {
        await call('PUT', `/api/admin/users/${encodeURIComponent(name)}/password`, { password });
      },
      file: async (wh) => {
        const changed = await setPassword(wh, name, password);
        await recordOnFile(wh, 'user_passwd', name, {}, changed ? 'ok' : 'error');
        if (!changed) throw new UserError(`no user named ${name} / 用户不存在`);
      },
    });
    console.log(`password of ${name} changed; their sessions ended`);
  } else if (command === 'list') {
    const users = await throughServerOrFile(settings, {
      server: async (call) => (await call<{ users: User[] }>('GET', '/api/admin/users')).body.users,
      file: (wh) => listUsers(wh),
    });
    if (values.json) console.log(JSON.stringify({ users }));
    else for (const u of users) console.log(`${u.name}\t${u.role}${u.region_code ? `\t${u.region_code}` : ''}`);
  } else {
    await throughServerOrFile(settings, {
      server: async (call) => {
        await call('DELETE', `/api/admin/users/${encodeURIComponent(name)}`);
      },
      file: async (wh) => {
        const removed = await removeUser(wh, name);
        await recordOnFile(wh, 'user_remove', name, {}, removed ? 'ok' : 'error');
        if (!removed) throw new UserError(`no user named ${name} / 用户不存在`);
      },
    });
    console.log(`user ${name} removed`);
  }
  return EXIT.ok;
});
