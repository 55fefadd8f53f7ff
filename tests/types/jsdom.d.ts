// jsdom ships no type declarations and @types/jsdom is not installed: the one constructor our server-render tests use
// to query the HTML a page renders.
declare module 'jsdom' {
	export class JSDOM {
		constructor(html?: string)
		readonly window: Window & typeof globalThis
	}
}
