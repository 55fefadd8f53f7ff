import '@testing-library/jest-dom/vitest'
import { inject } from 'vitest'

process.env.NODE_ENV ??= 'test'

// The courses built once for the run by global-setup.ts; a test that builds its own fixtures sets the variable itself.
process.env.VMS_CONTENT_DIR = inject('contentDir')
