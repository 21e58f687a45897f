// Which roles may use which API routes: the same lists as the server's @Allow, so that the
// dashboard never calls a route it would be refused on, and says why a page is empty instead.
const SALES = ['rep', 'team_lead', 'manager'];
const REPORT_READERS = ['rep', 'team_lead', 'manager', 'analyst', 'operations'];
const STAFF = ['rep', 'team_lead', 'manager', 'analyst', 'operations', 'admin'];

const ALLOWED = {
  records: SALES,
  moveDeals: SALES,
  reports: REPORT_READERS,
  tasks: SALES,
  policies: STAFF,
  whatIf: ['operations', 'manager', 'admin'],
  search: [...SALES, 'analyst', 'admin'],
  audit: ['rep', 'team_lead', 'manager', 'admin'],
  reviews: ['team_lead', 'manager'],
  directory: ['admin', 'manager', 'team_lead'],
};

export const may = (role, capability) => (ALLOWED[capability] ?? []).includes(role);

/** The pages in the navigation, and what each needs. */
export const PAGES = [
  { path: 'queue', needs: 'tasks' },
  { path: 'board', needs: 'reports' },
  { path: 'reports', needs: 'reports' },
  { path: 'operations', needs: 'policies' },
  { path: 'audit', needs: 'audit' },
];
