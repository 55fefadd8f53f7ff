// Every threshold of the signals of proxy completion ("học hộ", issue 22), in one place, each with its reason.
// A signal only puts a completion before a person for review: it never withdraws anything by itself, so a threshold
// may accept a few honest cases, but the known honest patterns (a shared office PC used by two people on different
// days, one NAT address per agency, a fast but real reader) must stay below it. The synthetic bench
// (npm run bench:integrity) prints what each one catches and wrongly flags on generated data.
export const THRESHOLDS = {
	speed: {
		// An adult reads Vietnamese prose at about 200 words a minute; skimming a familiar text goes two to three times
		// faster. Under a quarter of the reading time (800+ words a minute) the lesson was not read.
		wordsPerMinute: 200,
		fastShareOfReadingTime: 0.25,
		// One lesson skipped through (already known, or opened in two tabs) is ordinary; half of the course is not.
		fastLessonsShare: 0.5,
		// Reading a question and its four choices takes more than 4 s; a quiz answered faster was answered from a key.
		quizSecondsPerQuestion: 4,
	},
	device: {
		// Two people sharing an office PC is ordinary (and a day apart it does not even meet the window); three accounts
		// completing courses on one browser within two hours is one person working through others' accounts.
		accounts: 3,
		windowMinutes: 120,
	},
	loginChain: {
		// Logging into three accounts within an hour on one browser is what a helper does between courses; a shared PC
		// sees a login or two per half-day.
		accounts: 3,
		windowMinutes: 60,
		// A completion counts towards the chain when its account logged in on that browser within this time before it
		// (a helper's session over one account lasts at most a working day).
		reachMinutes: 24 * 60,
	},
	network: {
		// An agency's staff share one NAT address, so the network alone never flags: it takes four accounts finishing
		// the same course from one address within 15 minutes, every one of them too fast (speed signal) as well.
		accounts: 4,
		windowMinutes: 15,
	},
	sameAnswers: {
		// Two colleagues who studied together may answer alike; the same choice on every shared question, including
		// identical wrong ones, across five or more shared questions, is one answer sheet. Compared within 6 hours: a
		// helper goes through the accounts in one session; copying across days is left to other signals.
		// Three identical wrong answers, not two: where thousands take the same quiz within 6 hours, two people who
		// each get one or two of ten wrong often pick the same wrong choices by chance. On the synthetic province
		// (bench:integrity, 113,000 traced completions) two flagged 2,155 honest attempts with 187 copied ones (8 %
		// precision); three flag 29 honest with 105 copied ones (78 %).
		windowMinutes: 6 * 60,
		minSharedQuestions: 5,
		minSharedWrong: 3,
	},
	burst: {
		// Ten completions of one unit within ten minutes: a unit does not finish a self-paced course in step unless
		// someone clicks through it (or a collective session was held, which the reviewer confirms in one decision).
		completions: 10,
		windowMinutes: 10,
	},
	offHours: {
		// 22:00–05:00 Vietnam time is outside any office's hours; within three days of a due date it is when helpers
		// catch up a unit's backlog. Alone it is weak (people do study late): it names the hour for the reviewer.
		startHour: 22,
		endHour: 5,
		daysBeforeDue: 3,
	},
} as const

/**
 * How far before the last scan's end the scan looks again: the longest window in which a later completion can make
 * an earlier one part of a pattern (the same-answers window), so that a pattern spanning two scans is seen whole.
 */
export const LOOKBACK_MINUTES = Math.max(
	THRESHOLDS.device.windowMinutes,
	THRESHOLDS.loginChain.windowMinutes,
	THRESHOLDS.network.windowMinutes,
	THRESHOLDS.sameAnswers.windowMinutes,
	THRESHOLDS.burst.windowMinutes,
)
