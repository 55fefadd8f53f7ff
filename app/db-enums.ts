// The schema's enums as values (Role.ADMIN, z.enum(OrgTree)…), for any module, browser code included: the generated
// enums file is plain constants. Types alone come from app/db-types.ts; the client itself from app/db.server.ts.
export * from './generated/prisma/enums.ts'
