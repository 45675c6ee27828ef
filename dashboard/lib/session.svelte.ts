// Who is signed in and what their role lets the interface show. The server enforces every rule
// again (architecture.md, Roles); the page only avoids offering what would be refused.
import { api, onUnauthorized } from './api.ts';
import { regions } from './regions.svelte.ts';
import { router } from './router.svelte.ts';
import type { Role, User } from './types.ts';

class Session {
  user = $state<User | null>(null);
  /** False until the first /api/me answer, so the page does not flash the login form. */
  ready = $state(false);

  get role(): Role | null {
    return this.user?.role ?? null;
  }

  /** Analysts and admins write SQL and load extracts; executives and regional users do not. */
  get canSql(): boolean {
    return this.role === 'analyst' || this.role === 'admin';
  }

  /** Alert rules (and users, regions) are the admin's. */
  get isAdmin(): boolean {
    return this.role === 'admin';
  }

  get canIngest(): boolean {
    return this.canSql;
  }

  /** A regional user's city: every filter, request and chart is pinned to it. */
  get fixedRegion(): string | null {
    return this.role === 'regional' ? (this.user?.region_code ?? null) : null;
  }

  /** The region a board opens on. */
  get homeRegion(): string {
    return this.fixedRegion ?? 'ALL';
  }

  async restore(): Promise<void> {
    try {
      this.user = await api.me();
    } catch {
      this.user = null;
    } finally {
      this.ready = true;
    }
  }

  async login(name: string, password: string): Promise<void> {
    this.user = await api.login(name, password);
    regions.reset();
  }

  async logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.user = null;
      regions.reset();
      router.navigate('/login');
    }
  }
}

export const session = new Session();

onUnauthorized(() => {
  if (session.user) {
    session.user = null;
    router.navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
});
