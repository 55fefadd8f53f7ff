// The database's row and enum types (OrgUnit, Role, OrgTree…) for any module, browser code included: type-only, so
// nothing of the generated client reaches a bundle. The generated client itself is imported by app/db.server.ts alone
// (tests/architecture/import-graph.test.ts holds every other file to that).
export type * from './generated/prisma/client.ts'
