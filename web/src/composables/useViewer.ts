import { computed, shallowRef, type ComputedRef } from 'vue';
import { SwitchOrganisationDocument, ViewerDocument, type UserErrorFieldsFragment, type ViewerStateFragment } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import * as auth from '@/lib/auth-client';

export type ViewerStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Permission names from the server's permission table that the web app checks. */
export type Permission =
  | 'accounts.staff.read'
  | 'accounts.staff.invite'
  | 'accounts.staff.set_roles'
  | 'accounts.staff.remove'
  | 'audit.read'
  | 'audit.export'
  | 'notifications.self'
  | 'notifications.webhooks.manage'
  | 'notifications.jobs.manage'
  | 'firms.read'
  | 'firms.register'
  | 'firms.merge'
  | 'consents.record'
  | 'referrals.read'
  | 'referrals.send'
  | 'referrals.respond'
  | 'referrals.settings'
  | 'provision_records.read'
  | 'engagements.read'
  | 'engagements.lead'
  | 'teams.respond'
  | 'reports.read'
  | 'reports.targets'
  | 'surveys.issue';

// One viewer for the whole app: the header, the router guards and the pages read the same state.
const viewer = shallowRef<ViewerStateFragment | null>(null);
const status = shallowRef<ViewerStatus>('idle');
const loadError = shallowRef<Error | null>(null);
let inFlight: Promise<void> | null = null;
let generation = 0;

async function fetchViewer(): Promise<void> {
  const mine = ++generation;
  status.value = 'loading';
  try {
    const result = await request(ViewerDocument, {});
    if (mine !== generation) return;
    viewer.value = result.data.viewer;
    loadError.value = null;
    status.value = 'ready';
  } catch (cause) {
    if (mine !== generation) return;
    // The directory stays usable without a viewer; guarded pages say the account could not be checked.
    viewer.value = null;
    loadError.value = cause instanceof Error ? cause : new Error(String(cause));
    status.value = 'error';
  }
}

/** Loads the viewer once (later calls share the first load). */
export function loadViewer(): Promise<void> {
  if (status.value === 'ready') return Promise.resolve();
  inFlight ??= fetchViewer().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** Asks the server again (after sign-in, sign-out, switching, or a session that ended elsewhere). */
export function refreshViewer(): Promise<void> {
  inFlight = fetchViewer().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

export function hasPermission(permission: Permission): boolean {
  return viewer.value?.permissions.includes(permission) ?? false;
}

async function signIn(email: string, password: string): Promise<auth.AuthResult> {
  const result = await auth.signIn(email, password);
  if (result.ok) await refreshViewer();
  return result;
}

async function signOut(): Promise<void> {
  try {
    await auth.signOut();
  } finally {
    // Even if the call failed, ask the server who we are rather than guessing.
    await refreshViewer();
  }
}

async function acceptInvitation(input: { token: string; displayName: string; password: string }): Promise<auth.AuthResult> {
  const result = await auth.acceptInvitation(input);
  if (result.ok) await refreshViewer();
  return result;
}

/** Acts for another body; resolves with the user error when the server refused. */
async function switchOrganisation(organisationId: string): Promise<UserErrorFieldsFragment | null> {
  const result = await request(SwitchOrganisationDocument, { organisationId });
  const outcome = result.data.switchOrganisation;
  if (!outcome.ok) return outcome.error;
  generation += 1;
  if (outcome.viewer) {
    viewer.value = outcome.viewer;
    status.value = 'ready';
  } else {
    await refreshViewer();
  }
  return null;
}

export interface ViewerApi {
  viewer: ComputedRef<ViewerStateFragment | null>;
  status: ComputedRef<ViewerStatus>;
  loadError: ComputedRef<Error | null>;
  signedIn: ComputedRef<boolean>;
  /** The active body's id, or null when anonymous. */
  organisationId: ComputedRef<string | null>;
  can: (permission: Permission) => boolean;
  refresh: () => Promise<void>;
  signIn: typeof signIn;
  signOut: typeof signOut;
  acceptInvitation: typeof acceptInvitation;
  switchOrganisation: typeof switchOrganisation;
}

/** The signed-in person (or null), shared by the whole app. */
export function useViewer(): ViewerApi {
  return {
    viewer: computed(() => viewer.value),
    status: computed(() => status.value),
    loadError: computed(() => loadError.value),
    signedIn: computed(() => viewer.value !== null),
    organisationId: computed(() => viewer.value?.activeOrganisation.id ?? null),
    can: hasPermission,
    refresh: refreshViewer,
    signIn,
    signOut,
    acceptInvitation,
    switchOrganisation,
  };
}
