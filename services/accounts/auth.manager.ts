/**
 * Signing in and out, server-side sessions, and accepting invitations — the operations behind the
 * gateway's /auth endpoints, which own the session cookie. Every attempt is audited.
 */
import crypto from 'node:crypto';
import type { Role } from '../../generated/prisma/enums';
import type { Viewer } from '../shared/viewer';
import { accountsErrors } from './accounts.errors';
import type { AccountsStore } from './accounts.store';
import { hashPassword, hashToken, isAcceptablePassword, newToken, verifyPassword } from './credentials';

export interface AuthSettings {
  /** A session ends after this long without a request. */
  idleTimeoutMs: number;
  /** And after this long in any case. */
  absoluteTimeoutMs: number;
  /** Failed sign-ins per account (email) in the window before refusing. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins per address in the window before refusing. */
  maxFailuresPerAddress: number;
  failureWindowMs: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 60 * 60_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  failureWindowMs: 15 * 60_000,
};

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

const SIGN_IN = 'auth.sign_in';
// Refresh lastSeenAt at most this often, so that reads do not all become writes.
const TOUCH_INTERVAL_MS = 60_000;

export class AuthManager {
  constructor(
    private readonly store: AccountsStore,
    private readonly settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async signIn(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedSession> {
    const email = String(input.email ?? '').trim().toLowerCase().slice(0, 254);
    const password = String(input.password ?? '');
    const now = this.now();
    const since = new Date(now.getTime() - this.settings.failureWindowMs);
    // Count, verify and record under per-account and per-address locks, so that guesses sent at the
    // same moment are counted one after another and cannot slip past the limit together.
    const outcome = await this.store.transaction(async (tx) => {
      await tx.lockForSignIn([`sign-in:${email}`, ...(client.ip ? [`sign-in-ip:${client.ip}`] : [])]);
      const [byAccount, byAddress] = await Promise.all([
        tx.countAudit({ action: SIGN_IN, outcome: 'FAILURE', subject: email, since }),
        client.ip ? tx.countAudit({ action: SIGN_IN, outcome: 'FAILURE', ip: client.ip, since }) : Promise.resolve(0),
      ]);
      if (byAccount >= this.settings.maxFailuresPerAccount || byAddress >= this.settings.maxFailuresPerAddress) {
        // Recorded as DENIED, not FAILURE: refusals must not extend the lock-out for ever.
        await this.auditSignIn(tx, 'DENIED', email, client, null, null, 'rate_limited');
        return { error: accountsErrors.rateLimited() } as const;
      }
      const account = email ? await tx.accountByEmail(email) : null;
      const passwordOk = await verifyPassword(account?.passwordHash ?? null, password);
      const memberships = account && passwordOk ? await tx.membershipsOf(account.id) : [];
      const reason = !account ? 'unknown_account' : !passwordOk ? 'bad_password' : account.status !== 'ACTIVE' ? 'disabled' : memberships.length === 0 ? 'no_membership' : null;
      if (reason || !account) {
        await this.auditSignIn(tx, 'FAILURE', email, client, account?.id ?? null, null, reason ?? 'unknown_account');
        return { error: accountsErrors.invalidCredentials() } as const;
      }
      await tx.updateAccount(account.id, { lastSignInAt: now });
      await this.auditSignIn(tx, 'SUCCESS', email, client, account.id, memberships[0].organisationId, null);
      return { accountId: account.id, organisationId: memberships[0].organisationId } as const;
    });
    if ('error' in outcome) throw outcome.error;
    return this.openSession(outcome.accountId, outcome.organisationId, client);
  }

  /** The viewer behind a session cookie, or null when it is unknown, revoked, idle too long or expired. */
  async resolveSession(token: string | undefined, client: ClientInfo, requestId: string): Promise<Viewer | null> {
    if (!token || token.length > 200) return null;
    const id = hashToken(token);
    const session = await this.store.sessionById(id);
    if (!session || session.revokedAt) return null;
    const now = this.now();
    const idleFor = now.getTime() - session.lastSeenAt.getTime();
    if (session.expiresAt <= now || idleFor > this.settings.idleTimeoutMs || session.account.status !== 'ACTIVE') {
      await this.store.revokeSession(id, now);
      return null;
    }
    const membership = await this.store.membership(session.accountId, session.activeOrganisationId);
    if (!membership) {
      await this.store.revokeSession(id, now);
      return null;
    }
    if (idleFor > TOUCH_INTERVAL_MS) await this.store.touchSession(id, now);
    return {
      accountId: session.accountId,
      organisationId: session.activeOrganisationId,
      roles: membership.roles,
      sessionId: id,
      ip: client.ip,
      userAgent: client.userAgent,
      requestId,
    };
  }

  async signOut(token: string | undefined, client: ClientInfo): Promise<void> {
    if (!token) return;
    const id = hashToken(token);
    const session = await this.store.sessionById(id);
    if (!session || session.revokedAt) return;
    await this.store.revokeSession(id, this.now());
    await this.store.audit({
      actorAccountId: session.accountId,
      actingOrganisationId: session.activeOrganisationId,
      action: 'auth.sign_out',
      outcome: 'SUCCESS',
      ip: client.ip,
      userAgent: client.userAgent,
    });
  }

  /**
   * Accepts a single-use invitation: creates the account (or, for an existing one, checks its
   * password), adds the membership and signs the person in.
   */
  async acceptInvitation(
    input: { token: string; displayName: string; password: string },
    client: ClientInfo,
    /** The account signed in on this browser, if any. */
    signedInAccountId: string | null = null,
  ): Promise<IssuedSession> {
    const now = this.now();
    const invitation = input.token && input.token.length <= 200 ? await this.store.invitationByTokenHash(hashToken(input.token)) : null;
    const fail = async (reason: string) => {
      await this.store.audit({
        actorAccountId: null,
        actingOrganisationId: invitation?.organisationId ?? null,
        action: 'invitation.accept',
        outcome: 'FAILURE',
        targetType: 'Invitation',
        targetId: invitation?.id ?? null,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { reason },
      });
    };
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) {
      await fail(!invitation ? 'unknown_token' : invitation.acceptedAt ? 'already_used' : invitation.revokedAt ? 'revoked' : 'expired');
      throw accountsErrors.invitationInvalid();
    }
    const existing = await this.store.accountByEmail(invitation.email);
    const displayName = String(input.displayName ?? '').trim();
    if (!existing) {
      if (displayName.length < 1 || displayName.length > 60) throw accountsErrors.invalidDisplayName();
      if (!isAcceptablePassword(String(input.password ?? ''), invitation.email)) throw accountsErrors.weakPassword();
    } else if (signedInAccountId !== existing.id) {
      // An existing account joins only while signed in as itself: this endpoint never checks
      // passwords, so it cannot be used to guess one.
      await fail('existing_account_not_signed_in');
      throw accountsErrors.signInFirst();
    }
    const passwordHash = existing ? null : await hashPassword(String(input.password));

    const accountId = await this.store.transaction(async (tx) => {
      const claimed = await tx.claimInvitation(invitation.id, now);
      if (claimed.count !== 1) throw accountsErrors.invitationInvalid();
      const account = existing ?? (await tx.createAccount({ email: invitation.email, displayName, passwordHash: passwordHash! }));
      const current = await tx.membership(account.id, invitation.organisationId);
      const roles = [...new Set<Role>([...(current?.roles ?? []), ...invitation.roles])];
      await tx.upsertMembership(account.id, invitation.organisationId, roles);
      await tx.audit({
        actorAccountId: account.id,
        actingOrganisationId: invitation.organisationId,
        action: 'invitation.accept',
        outcome: 'SUCCESS',
        targetType: 'Invitation',
        targetId: invitation.id,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { roles },
      });
      return account.id;
    }).catch(async (err: unknown) => {
      if (err instanceof Error && 'code' in err && (err as { code: string }).code === 'accounts/invitation_invalid') await fail('already_used');
      throw err;
    });
    return this.openSession(accountId, invitation.organisationId, client);
  }

  private async openSession(accountId: string, organisationId: string, client: ClientInfo): Promise<IssuedSession> {
    const { token, hash } = newToken();
    const expiresAt = new Date(this.now().getTime() + this.settings.absoluteTimeoutMs);
    await this.store.createSession({ id: hash, accountId, activeOrganisationId: organisationId, expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 300) ?? null });
    return { token, expiresAt };
  }

  private auditSignIn(store: AccountsStore, outcome: 'SUCCESS' | 'FAILURE' | 'DENIED', subject: string, client: ClientInfo, accountId: string | null, organisationId: string | null, reason: string | null) {
    return store.audit({
      actorAccountId: accountId,
      actingOrganisationId: organisationId,
      action: SIGN_IN,
      outcome,
      subject: subject || null,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ...(reason ? { details: { reason } } : {}),
    });
  }
}

export const newRequestId = (): string => crypto.randomUUID();
