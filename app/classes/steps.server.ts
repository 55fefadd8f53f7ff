// The steps of a class session: every section of every lesson of the course, a quick question after each lesson
// (from the course's quiz bank), then the end screen. Derived from the content build, so only the step number is
// stored (TrainingEvent.step); every app process computes the same list.
import { getMDXComponent } from 'mdx-bundler/client/index.js'
import { contentStamp, getCitedSources, getCourse, getLesson, getQuiz } from '#app/content/courses.server.ts'
import { ANSWERS } from '#app/content/schema.ts'
import { lessonSections, provideSectionBody } from './sections.tsx'

export type SessionStep =
	| { kind: 'section'; lesson: number; lessonTitle: string; codeHash: string; section: number; sections: number; title: string; sources: Array<string> }
	| { kind: 'question'; lesson: number; lessonTitle: string; questionId: string; prompt: string; choices: Array<string>; answer: number; explanation: string }
	| { kind: 'end' }

const cache = new Map<string, Array<SessionStep>>()

export function sessionSteps(courseSlug: string): Array<SessionStep> | null {
	const course = getCourse(courseSlug)
	if (!course) return null
	const key = `${courseSlug}:${contentStamp()}`
	const known = cache.get(key)
	if (known) return known
	const quiz = getQuiz(courseSlug)
	const bank = quiz?.bank ?? []
	const steps: Array<SessionStep> = []
	course.lessons.forEach((summary, i) => {
		const found = getLesson(courseSlug, summary.slug)
		if (!found) return
		const { lesson } = found
		provideSectionBody(lesson.codeHash, () => getMDXComponent(lesson.code))
		const count = lessonSections(lesson.codeHash)?.length ?? 1
		const titles = lesson.headings.filter((h) => h.depth === 2).map((h) => h.text)
		for (let s = 0; s < count; s++) {
			steps.push({ kind: 'section', lesson: i, lessonTitle: lesson.title, codeHash: lesson.codeHash, section: s, sections: count, title: titles[s] ?? lesson.title, sources: lesson.sources })
		}
		// Banks are written in lesson order: the first question of each lesson's share of the bank.
		const question = bank[Math.floor((i * bank.length) / course.lessons.length)]
		if (question) {
			steps.push({
				kind: 'question',
				lesson: i,
				lessonTitle: lesson.title,
				questionId: question.id,
				prompt: question.prompt,
				choices: question.choices,
				answer: ANSWERS.indexOf(question.answer),
				explanation: question.explanation,
			})
		}
	})
	steps.push({ kind: 'end' })
	cache.set(key, steps)
	return steps
}

export function stepSources(step: SessionStep) {
	return step.kind === 'section' ? getCitedSources(step.sources) : []
}
