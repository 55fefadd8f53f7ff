// Finds code under app/ that reads a submitted form without a schema (issue 20 §4). The rule: a FormData value may be
// handed on (to parseWithZod, or returned by the upload reader) but never read field by field, and a request body is
// never read as text or JSON. Types decide what is a FormData, so a renamed variable or a helper in a feature module
// is caught as well as `form.get('x')` in a route.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

export type FormRead = { file: string; line: number; text: string }

const READERS = new Set(['get', 'getAll', 'has', 'entries', 'keys', 'values', 'forEach'])
const BODY_READERS = new Set(['text', 'json', 'arrayBuffer', 'blob'])

function sourceFiles(dir: string): Array<string> {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name)
		if (statSync(full).isDirectory()) return name === 'generated' ? [] : sourceFiles(full)
		return /\.tsx?$/.test(name) ? [full] : []
	})
}

export function compilerOptions(): ts.CompilerOptions {
	const config = ts.readConfigFile('tsconfig.json', ts.sys.readFile)
	return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd()).options, noEmit: true }
}

/** Every place in `files` (default: all of app/) that reads a form or a request body directly. */
export function findFormReads(files = sourceFiles('app'), options = compilerOptions()): Array<FormRead> {
	const program = ts.createProgram(files, options)
	const checker = program.getTypeChecker()
	const typeName = (node: ts.Expression) => {
		const type = checker.getTypeAtLocation(node)
		return (type.aliasSymbol ?? type.getSymbol())?.getName()
	}
	const found: Array<FormRead> = []
	for (const file of files) {
		const source = program.getSourceFile(file)
		if (!source) continue
		const report = (node: ts.Node) => {
			const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
			found.push({ file, line: line + 1, text: node.getText(source).split('\n')[0]!.slice(0, 120) })
		}
		const visit = (node: ts.Node) => {
			if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
				const { expression: receiver, name } = node.expression
				const method = name.text
				if (READERS.has(method) && typeName(receiver) === 'FormData') report(node)
				else if (BODY_READERS.has(method) && typeName(receiver) === 'Request') report(node)
				else if (method === 'fromEntries' && node.arguments[0] && typeName(node.arguments[0]) === 'FormData') report(node)
			} else if ((ts.isSpreadElement(node) || ts.isForOfStatement(node)) && typeName(node.expression) === 'FormData') {
				report(node)
			}
			ts.forEachChild(node, visit)
		}
		visit(source)
	}
	return found
}

/** Route modules (relative to app/routes) that export an `action`. */
export function routesWithAction(dir = 'app/routes') {
	return readdirSync(dir).filter((name) => {
		const source = ts.createSourceFile(name, ts.sys.readFile(path.join(dir, name)) ?? '', ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX)
		return source.statements.some(
			(s) =>
				(ts.isFunctionDeclaration(s) && s.name?.text === 'action' && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) ||
				(ts.isVariableStatement(s) &&
					s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
					s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'action')),
		)
	})
}
