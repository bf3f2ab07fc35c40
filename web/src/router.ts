import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import DirectoryPage from '@/features/directory/DirectoryPage.vue';

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
