// Deterministic demo data for a fictional province ("Tỉnh Minh Sơn") organised as after the 2025 reform:
// province → sở/ban/ngành → phòng, and UBND xã/phường directly under the province (no district level).
import { type OrgKind, type OrgTree, type Role, type UserKind, type UserStatus } from '#app/generated/prisma/enums.ts'

export const DEMO_PASSWORD = 'VanMinhSo@2026'

type Unit = { id: number; tree: OrgTree; kind: OrgKind; code: string; name: string; parentId: number | null; path: string; depth: number }
type User = { id: string; fullName: string; username: string | null; email: string | null; kind: UserKind; status: UserStatus; birthYear?: number }
type Membership = { userId: string; orgUnitId: number; title: string | null; tags: Array<string>; countsInTarget: boolean }
type Grant = { userId: string; role: Role; orgUnitId: number }

const DEPARTMENTS: Array<[string, string, Array<string>]> = [
	['VP-UBND', 'Văn phòng Ủy ban nhân dân tỉnh', ['Phòng Tổng hợp', 'Phòng Hành chính – Tổ chức', 'Trung tâm Thông tin – Hội nghị']],
	['SNV', 'Sở Nội vụ', ['Phòng Tổ chức, biên chế', 'Phòng Công chức, viên chức', 'Phòng Cải cách hành chính']],
	['STC', 'Sở Tài chính', ['Phòng Ngân sách', 'Phòng Kế hoạch – Đầu tư']],
	['STP', 'Sở Tư pháp', ['Phòng Xây dựng và kiểm tra văn bản', 'Phòng Phổ biến, giáo dục pháp luật']],
	['SKHCN', 'Sở Khoa học và Công nghệ', ['Phòng Chuyển đổi số', 'Phòng Bưu chính, viễn thông', 'Phòng Quản lý khoa học']],
	['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', ['Phòng Báo chí, xuất bản', 'Phòng Quản lý văn hóa', 'Phòng Quản lý du lịch']],
	['SGDDT', 'Sở Giáo dục và Đào tạo', ['Phòng Giáo dục phổ thông', 'Phòng Tổ chức cán bộ']],
	['SYT', 'Sở Y tế', ['Phòng Nghiệp vụ y', 'Phòng Kế hoạch – Tài chính']],
	['SXD', 'Sở Xây dựng', ['Phòng Quản lý xây dựng', 'Phòng Hạ tầng giao thông']],
	['SNNMT', 'Sở Nông nghiệp và Môi trường', ['Phòng Trồng trọt', 'Phòng Quản lý đất đai', 'Phòng Môi trường']],
	['SCT', 'Sở Công Thương', ['Phòng Quản lý thương mại', 'Phòng Quản lý công nghiệp']],
	['TTT', 'Thanh tra tỉnh', ['Phòng Tiếp công dân', 'Phòng Thanh tra kinh tế – xã hội']],
]

const COMMUNES = [
	'phường An Lạc', 'phường Bình Minh', 'phường Đông Hải', 'phường Hòa Bình', 'phường Kim Sơn', 'phường Quang Trung',
	'phường Thanh Bình', 'phường Trần Hưng Đạo', 'xã An Phú', 'xã Bắc Sơn', 'xã Cẩm Thịnh', 'xã Đại Đồng',
	'xã Đông Hưng', 'xã Hải Hà', 'xã Hồng Phong', 'xã Lạc Thủy', 'xã Long Sơn', 'xã Minh Khai', 'xã Nam Hòa',
	'xã Phú Lộc', 'xã Quảng Phú', 'xã Tân Lập', 'xã Thái Hòa', 'xã Vĩnh Hưng',
]

const SURNAMES: Array<[string, number]> = [
	['Nguyễn', 38], ['Trần', 11], ['Lê', 9], ['Phạm', 7], ['Hoàng', 4], ['Huỳnh', 2], ['Phan', 4], ['Vũ', 3], ['Võ', 2],
	['Đặng', 2], ['Bùi', 2], ['Đỗ', 2], ['Hồ', 1], ['Ngô', 1], ['Dương', 1], ['Lý', 1], ['Đinh', 1], ['Trịnh', 1],
]
const MALE_MIDDLE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thanh', 'Công', 'Xuân', 'Ngọc', 'Mạnh', 'Trọng', 'Quang']
const FEMALE_MIDDLE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Thùy', 'Phương', 'Hồng', 'Kim', 'Mai']
const MALE_GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long', 'Minh', 'Nam', 'Phong', 'Phúc', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Tiến', 'Toàn', 'Trung', 'Tuấn', 'Việt', 'Vinh']
const FEMALE_GIVEN = ['Anh', 'Châu', 'Chi', 'Dung', 'Giang', 'Hà', 'Hằng', 'Hạnh', 'Hoa', 'Hương', 'Huyền', 'Lan', 'Linh', 'Loan', 'Mai', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Thảo', 'Trang', 'Uyên', 'Vân', 'Yến']
const STAFF_TITLES = ['Chuyên viên', 'Chuyên viên', 'Chuyên viên', 'Chuyên viên chính', 'Cán sự', 'Viên chức']

// Mulberry32: small, fast and the same on every machine, so the demo is reproducible.
function rng(seed: number) {
	let a = seed
	return () => {
		a = (a + 0x6d2b79f5) | 0
		let t = Math.imul(a ^ (a >>> 15), 1 | a)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

function ascii(text: string) {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
}

export function buildDemoData() {
	const random = rng(30_2013)
	const pick = <T,>(items: ReadonlyArray<T>) => items[Math.floor(random() * items.length)] as T
	const weighted = (items: ReadonlyArray<[string, number]>) => {
		const total = items.reduce((s, [, w]) => s + w, 0)
		let r = random() * total
		for (const [v, w] of items) if ((r -= w) < 0) return v
		return items[0]![0]
	}

	const units: Array<Unit> = []
	let nextId = 1
	const add = (tree: OrgTree, kind: OrgKind, code: string, name: string, parent: Unit | null) => {
		const id = nextId++
		const unit: Unit = { id, tree, kind, code, name, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 }
		units.push(unit)
		return unit
	}

	const province = add('GOV', 'province', 'MS', 'Ủy ban nhân dân tỉnh Minh Sơn', null)
	const departments = DEPARTMENTS.map(([code, name, divisions]) => {
		const dept = add('GOV', 'department', code, name, province)
		const divs = divisions.map((d, i) => add('GOV', 'division', `${code}-P${i + 1}`, d, dept))
		return { dept, divs }
	})
	const communes = COMMUNES.map((c, i) => add('GOV', 'commune', `XA${String(i + 1).padStart(2, '0')}`, `Ủy ban nhân dân ${c}`, province))

	const eduRoot = add('EDU', 'education_office', 'GD-MS', 'Ngành Giáo dục tỉnh Minh Sơn', null)
	const primary = add('EDU', 'school', 'TH-KD', 'Trường Tiểu học Kim Đồng', eduRoot)
	const lower = add('EDU', 'school', 'THCS-LQD', 'Trường THCS Lê Quý Đôn', eduRoot)
	const upper = add('EDU', 'school', 'THPT-MS', 'Trường THPT Minh Sơn', eduRoot)
	const class5a = add('EDU', 'class', 'TH-KD-5A-2026', 'Lớp 5A (2026–2027)', primary)
	add('EDU', 'class', 'TH-KD-5B-2026', 'Lớp 5B (2026–2027)', primary)
	add('EDU', 'class', 'THCS-LQD-8A-2026', 'Lớp 8A (2026–2027)', lower)
	add('EDU', 'class', 'THPT-MS-10A1-2026', 'Lớp 10A1 (2026–2027)', upper)

	const youthRoot = add('YOUTH', 'youth_union', 'TD-MS', 'Tỉnh đoàn Minh Sơn', null)
	const dcsAnPhu = add('YOUTH', 'youth_grassroots', 'DCS-ANPHU', 'Đoàn xã An Phú', youthRoot)
	const dcsKhoi = add('YOUTH', 'youth_grassroots', 'DCS-KCQ', 'Đoàn Khối các cơ quan tỉnh', youthRoot)
	const dcsTruong = add('YOUTH', 'youth_grassroots', 'DCS-THPTMS', 'Đoàn trường THPT Minh Sơn', youthRoot)
	const youthBranches = [
		add('YOUTH', 'youth_branch', 'CD-ANPHU-1', 'Chi đoàn thôn Đông', dcsAnPhu),
		add('YOUTH', 'youth_branch', 'CD-ANPHU-2', 'Chi đoàn thôn Tây', dcsAnPhu),
		add('YOUTH', 'youth_branch', 'CD-KCQ-SKHCN', 'Chi đoàn Sở Khoa học và Công nghệ', dcsKhoi),
		add('YOUTH', 'youth_branch', 'CD-THPTMS-10A1', 'Chi đoàn 10A1', dcsTruong),
	]
	const communityTeam = add('YOUTH', 'community_team', 'TCNS-ANPHU', 'Tổ công nghệ số cộng đồng xã An Phú', dcsAnPhu)

	const users: Array<User> = []
	const memberships: Array<Membership> = []
	const usedUsernames = new Set<string>()
	const person = (kind: UserKind, birthFrom: number, birthTo: number) => {
		const female = random() < 0.5
		const fullName = `${weighted(SURNAMES)} ${pick(female ? FEMALE_MIDDLE : MALE_MIDDLE)} ${pick(female ? FEMALE_GIVEN : MALE_GIVEN)}`.normalize('NFC')
		const parts = ascii(fullName).split(' ')
		let username = `${parts.at(-1)}.${parts.slice(0, -1).map((p) => p[0]).join('')}`
		for (let n = 2; usedUsernames.has(username); n++) username = `${parts.at(-1)}.${parts.slice(0, -1).map((p) => p[0]).join('')}${n}`
		usedUsernames.add(username)
		const user: User = {
			id: `demo-${kind.toLowerCase()}-${users.length + 1}`,
			fullName,
			username,
			email: null,
			kind,
			status: 'PENDING',
			birthYear: birthFrom + Math.floor(random() * (birthTo - birthFrom + 1)),
		}
		users.push(user)
		return user
	}
	const staffIn = (unit: Unit, count: number, { leaders = 1, social = 1, spokesperson = 0 } = {}) => {
		for (let i = 0; i < count; i++) {
			const u = person('STAFF', 1966, 2002)
			const tags: Array<string> = []
			let title = pick(STAFF_TITLES)
			if (i < leaders) {
				tags.push('leader')
				title = unit.kind === 'division' ? (i === 0 ? 'Trưởng phòng' : 'Phó Trưởng phòng') : i === 0 ? (unit.kind === 'commune' ? 'Chủ tịch UBND' : 'Giám đốc') : 'Phó Giám đốc'
			}
			if (i === leaders && spokesperson) tags.push('spokesperson')
			if (i >= leaders && i < leaders + social) tags.push('social-media')
			memberships.push({ userId: u.id, orgUnitId: unit.id, title, tags, countsInTarget: true })
		}
	}

	// ~300 staff: leaders at each department, staff in divisions, 6–8 people at each commune.
	for (const { dept, divs } of departments) {
		staffIn(dept, 3, { leaders: 2, social: 0, spokesperson: 1 })
		for (const d of divs) staffIn(d, 5 + Math.floor(random() * 4), { leaders: 1, social: d.name.includes('Thông tin') || d.name.includes('Báo chí') ? 2 : 1 })
	}
	for (const c of communes) staffIn(c, 6 + Math.floor(random() * 3), { leaders: 2, social: 1, spokesperson: 1 })

	for (let i = 0; i < 28; i++) {
		const s = person('STUDENT', 2015, 2015)
		memberships.push({ userId: s.id, orgUnitId: class5a.id, title: 'Học sinh', tags: [], countsInTarget: true })
	}
	for (const [i, branch] of youthBranches.entries()) {
		for (let j = 0; j < 8; j++) {
			const y = person('YOUTH', 1994, 2008)
			memberships.push({ userId: y.id, orgUnitId: branch.id, title: j === 0 ? 'Bí thư chi đoàn' : 'Đoàn viên', tags: j === 0 ? ['leader'] : [], countsInTarget: true })
			if (i === 0 && j < 4) memberships.push({ userId: y.id, orgUnitId: communityTeam.id, title: 'Thành viên tổ công nghệ số', tags: [], countsInTarget: true })
		}
	}

	// The five demo accounts (README): each one is a real roster member with a role fitting its home page.
	const sovh = departments.find((d) => d.dept.code === 'SVHTTDL')!
	const skhcn = departments.find((d) => d.dept.code === 'SKHCN')!
	const account = (id: string, username: string, fullName: string, kind: UserKind) => {
		const user: User = { id, fullName: fullName.normalize('NFC'), username, email: `${username}@minhson.demo.vn`, kind, status: 'ACTIVE' }
		users.push(user)
		return user
	}
	const admin = account('demo-admin', 'admin', 'Đỗ Thị Thanh Hà', 'STAFF')
	const manager = account('demo-manager', 'quanly', 'Lê Văn Quang', 'STAFF')
	const learner = account('demo-learner', 'hocvien', 'Nguyễn Thị Hương', 'STAFF')
	const teacher = account('demo-teacher', 'giaovien', 'Phạm Ngọc Lan', 'STAFF')
	const youth = account('demo-youth', 'doanvien', 'Trần Quốc Bảo', 'YOUTH')
	memberships.push(
		{ userId: admin.id, orgUnitId: departments[0]!.divs[1]!.id, title: 'Chuyên viên chính', tags: [], countsInTarget: true },
		{ userId: manager.id, orgUnitId: sovh.dept.id, title: 'Chánh Văn phòng Sở', tags: ['leader'], countsInTarget: true },
		{ userId: learner.id, orgUnitId: skhcn.divs[0]!.id, title: 'Chuyên viên', tags: ['social-media'], countsInTarget: true },
		{ userId: teacher.id, orgUnitId: primary.id, title: 'Giáo viên chủ nhiệm lớp 5A', tags: [], countsInTarget: true },
		{ userId: youth.id, orgUnitId: youthRoot.id, title: 'Phó Bí thư Tỉnh đoàn', tags: ['leader'], countsInTarget: true },
	)
	const grants: Array<Grant> = [
		{ userId: admin.id, role: 'ADMIN', orgUnitId: province.id },
		{ userId: admin.id, role: 'ADMIN', orgUnitId: eduRoot.id },
		{ userId: admin.id, role: 'ADMIN', orgUnitId: youthRoot.id },
		{ userId: manager.id, role: 'MANAGER', orgUnitId: sovh.dept.id },
		{ userId: teacher.id, role: 'TRAINER', orgUnitId: class5a.id },
		{ userId: youth.id, role: 'YOUTH_ADMIN', orgUnitId: youthRoot.id },
	]
	const accounts = [admin, manager, learner, teacher, youth].map((u) => ({ userId: u.id, username: u.username! }))
	return { units, users, memberships, grants, accounts, ids: { province: province.id, sovh: sovh.dept.id, skhcn: skhcn.dept.id, class5a: class5a.id, youthRoot: youthRoot.id } }
}
