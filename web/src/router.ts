import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import DirectoryPage from '@/features/directory/DirectoryPage.vue';
import { loadViewer, useViewer, type Permission } from '@/composables/useViewer';
import { safeNextPath } from '@/lib/redirect';

declare module 'vue-router' {
  interface RouteMeta {
    /** Anonymous visitors are sent to /sign-in?next=… first. */
    requiresAuth?: boolean;
    /** Signed-in visitors without it see a polite 権限がありません page (the address stays). */
    permission?: Permission;
    /** Only for anonymous visitors (the sign-in page): the signed-in go on to `next`. */
    guestOnly?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'directory' } },
  { path: '/organisations', name: 'directory', component: DirectoryPage },
  {
    path: '/organisations/:id',
    name: 'organisation',
    component: () => import('@/features/organisation/OrganisationPage.vue'),
    props: true,
  },
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('@/features/auth/SignInPage.vue'),
    meta: { guestOnly: true },
  },
  {
    path: '/invitations/:token',
    name: 'invitation',
    component: () => import('@/features/invitation/InvitationPage.vue'),
    props: true,
  },
  {
    path: '/admin/staff',
    name: 'admin-staff',
    component: () => import('@/features/staff/StaffPage.vue'),
    meta: { requiresAuth: true, permission: 'accounts.staff.read' },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('@/features/audit/AuditPage.vue'),
    meta: { requiresAuth: true, permission: 'audit.read' },
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('@/features/notifications/NotificationsPage.vue'),
    meta: { requiresAuth: true, permission: 'notifications.self' },
  },
  {
    path: '/settings/notifications',
    name: 'notification-settings',
    component: () => import('@/features/notifications/NotificationSettingsPage.vue'),
    meta: { requiresAuth: true, permission: 'notifications.self' },
  },
  {
    path: '/admin/webhooks',
    name: 'admin-webhooks',
    component: () => import('@/features/webhooks/WebhooksPage.vue'),
    meta: { requiresAuth: true, permission: 'notifications.webhooks.manage' },
  },
  {
    path: '/admin/notification-jobs',
    name: 'admin-notification-jobs',
    component: () => import('@/features/notification-jobs/NotificationJobsPage.vue'),
    meta: { requiresAuth: true, permission: 'notifications.jobs.manage' },
  },
  {
    path: '/referrals',
    name: 'referrals',
    component: () => import('@/features/referrals/ReferralsPage.vue'),
    meta: { requiresAuth: true, permission: 'referrals.read' },
  },
  {
    path: '/referrals/new',
    name: 'referral-new',
    component: () => import('@/features/referrals/NewReferralPage.vue'),
    meta: { requiresAuth: true, permission: 'referrals.send' },
  },
  {
    path: '/settings/referrals',
    name: 'referral-settings',
    component: () => import('@/features/referrals/ReferralSettingsPage.vue'),
    meta: { requiresAuth: true, permission: 'referrals.settings' },
  },
  {
    path: '/referrals/:id',
    name: 'referral',
    component: () => import('@/features/referrals/ReferralPage.vue'),
    props: true,
    meta: { requiresAuth: true, permission: 'referrals.read' },
  },
  {
    path: '/firms',
    name: 'firms',
    component: () => import('@/features/firms/FirmsPage.vue'),
    meta: { requiresAuth: true, permission: 'firms.read' },
  },
  {
    path: '/firms/new',
    name: 'firm-new',
    component: () => import('@/features/firms/FirmRegisterPage.vue'),
    meta: { requiresAuth: true, permission: 'firms.register' },
  },
  {
    path: '/firms/duplicates',
    name: 'firm-duplicates',
    component: () => import('@/features/firms/FirmDuplicatesPage.vue'),
    meta: { requiresAuth: true, permission: 'firms.merge' },
  },
  {
    path: '/firms/:id',
    name: 'firm',
    component: () => import('@/features/firms/FirmPage.vue'),
    props: true,
    meta: { requiresAuth: true, permission: 'firms.read' },
  },
  {
    path: '/engagements',
    name: 'engagements',
    component: () => import('@/features/engagements/EngagementsPage.vue'),
    meta: { requiresAuth: true, permission: 'engagements.read' },
  },
  {
    path: '/engagements/new',
    name: 'engagement-new',
    component: () => import('@/features/engagements/NewEngagementPage.vue'),
    meta: { requiresAuth: true, permission: 'engagements.lead' },
  },
  {
    path: '/engagements/:id',
    name: 'engagement',
    component: () => import('@/features/engagements/EngagementPage.vue'),
    props: true,
    meta: { requiresAuth: true, permission: 'engagements.read' },
  },
  {
    path: '/engagements/:id/team',
    name: 'engagement-team',
    component: () => import('@/features/engagements/TeamBuilderPage.vue'),
    props: true,
    meta: { requiresAuth: true, permission: 'engagements.lead' },
  },
  {
    path: '/meetings',
    name: 'meetings',
    component: () => import('@/features/meetings/MeetingsPage.vue'),
    meta: { requiresAuth: true },
  },
  {
    path: '/meetings/:id',
    name: 'meeting',
    component: () => import('@/features/meetings/MeetingPage.vue'),
    props: true,
    meta: { requiresAuth: true },
  },
  {
    path: '/meetings/:id/edit',
    name: 'meeting-edit',
    component: () => import('@/features/meetings/MeetingEditPage.vue'),
    props: true,
    meta: { requiresAuth: true },
  },
  {
    path: '/meetings/:id/attendance/print',
    name: 'meeting-attendance-print',
    component: () => import('@/features/meetings/AttendancePrintPage.vue'),
    props: true,
    meta: { requiresAuth: true },
  },
  {
    path: '/my/action-items',
    name: 'my-action-items',
    component: () => import('@/features/meetings/MyActionItemsPage.vue'),
    meta: { requiresAuth: true },
  },
  {
    path: '/admin/provision-records',
    name: 'admin-provision-records',
    component: () => import('@/features/provision-records/ProvisionRecordsPage.vue'),
    meta: { requiresAuth: true, permission: 'provision_records.read' },
  },
  {
    path: '/reports',
    name: 'reports',
    component: () => import('@/features/reports/ReportsPage.vue'),
    meta: { requiresAuth: true, permission: 'reports.read' },
  },
  {
    path: '/reports/print',
    name: 'report-print',
    component: () => import('@/features/reports/ReportPrintPage.vue'),
    meta: { requiresAuth: true, permission: 'reports.read' },
  },
  {
    path: '/reports/targets',
    name: 'report-targets',
    component: () => import('@/features/reports/ReportTargetsPage.vue'),
    meta: { requiresAuth: true, permission: 'reports.targets' },
  },
  {
    // The firm answers from the link it was sent: no account, so no requiresAuth (like /invitations/:token).
    path: '/survey/:token',
    name: 'survey',
    component: () => import('@/features/survey/SurveyPage.vue'),
    props: true,
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/features/not-found/NotFoundPage.vue'),
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior(to, from, savedPosition) {
    if (savedPosition) return savedPosition;
    // Typing in the search box or picking a filter changes only the query: keep the scroll position.
    if (to.path === from.path) return false;
    return { top: 0 };
  },
});

router.beforeEach(async (to) => {
  // The first navigation waits for the viewer; later ones find it loaded.
  await loadViewer();
  const { viewer, status } = useViewer();
  if (to.meta.guestOnly && viewer.value) {
    return safeNextPath(to.query.next);
  }
  // When the account could not be checked (network), let the page say so instead of asking to sign in.
  if (to.meta.requiresAuth && !viewer.value && status.value !== 'error') {
    return { name: 'sign-in', query: { next: to.fullPath } };
  }
  return true;
});
