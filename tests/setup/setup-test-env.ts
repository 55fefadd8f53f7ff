import '@testing-library/jest-dom/vitest'
import { inject } from 'vitest'
import { installConsoleTrap } from './console.ts'

process.env.NODE_ENV ??= 'test'

// The courses built once for the run by global-setup.ts; a test that builds its own fixtures sets the variable itself
// (tests/setup/content.ts puts this one back when the file ends).
process.env.VMS_CONTENT_DIR = inject('contentDir')

installConsoleTrap()
